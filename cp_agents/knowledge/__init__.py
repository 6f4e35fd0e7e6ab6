"""Knowledge for the agents: the runbook corpus (*.md here), its FAISS index and the experience store."""

from cp_agents.knowledge.corpus import Passage, chunk_markdown, load_corpus
from cp_agents.knowledge.experience import OUTCOMES, ExperienceRecord

__all__ = ["OUTCOMES", "ExperienceRecord", "KnowledgeBase", "Passage", "chunk_markdown", "load_corpus"]


def __getattr__(name: str):
    # KnowledgeBase pulls in numpy/faiss helpers; import it only when asked for
    if name == "KnowledgeBase":
        from cp_agents.knowledge.store import KnowledgeBase
        return KnowledgeBase
    raise AttributeError(name)

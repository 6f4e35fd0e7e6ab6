"""Control-plane agents: intent parsing, FAISS retrieval, the LangGraph pipeline, LLM backends."""

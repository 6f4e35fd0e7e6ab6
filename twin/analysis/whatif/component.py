"""Distances inside one 2-edge-connected component, before and after a chain link fails.

Every node x of the component gets two exits (END[x, k], OFF[x, k]): the branch node at
each end of its chain and the key to walk there (a branch node exits to itself at 0).
With DH the all-pairs keys of the branch graph (scipy's C Dijkstra: the branch graph is
small), the key between x and y is

    D[x, y] = min over k, l of OFF[x, k] + DH[END[x, k], END[y, l]] + OFF[y, l]

and, for two nodes on the same chain, also their distance along the chain. Failing a
link of chain K removes K from the branch graph (DH'), and cuts K's interior in two: the
nodes before the cut keep only their first exit, those after it only their second.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from twin.analysis.whatif.chains import Chain, Decomposition
from twin.analysis.whatif.damage import Damage, damage


class ComponentDistances:
    def __init__(self, members: list[int], parts: Decomposition, hosts: np.ndarray, access: np.ndarray):
        self.parts = parts
        self.local = {node: i for i, node in enumerate(members)}
        self.hosts, self.access = hosts, access
        self.bindex = {node: b for b, node in enumerate(parts.branches)}
        n = len(members)
        self.end = np.zeros((n, 2), dtype=np.intp)
        self.off = np.zeros((n, 2))
        self.chain_of = np.full(n, -1)       # chain index of interior nodes, -1 for branch nodes
        self.pos = np.zeros(n)               # key from the chain's first end
        for node, b in self.bindex.items():
            self.end[self.local[node]] = (b, b)
        for index, chain in enumerate(parts.chains):
            ends = (self.bindex[chain.nodes[0]], self.bindex[chain.nodes[-1]])
            for k, node in enumerate(chain.interior, start=1):
                i = self.local[node]
                self.end[i], self.off[i] = ends, (chain.pos[k], chain.weight - chain.pos[k])
                self.chain_of[i], self.pos[i] = index, chain.pos[k]
        self.same_chain = self._same_chain_pairs()
        self._branch_graph()
        self.dh = dijkstra(self.h, directed=False)
        self.nb, self.d = self.expand(self.dh)

    def _branch_graph(self) -> None:
        """The branch graph (parallel chains: the lightest one counts) as a CSR matrix whose
        entry for one pair can be swapped to simulate a chain's failure."""
        size = len(self.parts.branches)
        self.parallel: dict[tuple[int, int], list[int]] = {}
        for chain in self.parts.chains:
            p, q = sorted((self.bindex[chain.nodes[0]], self.bindex[chain.nodes[-1]]))
            if p != q:
                self.parallel.setdefault((p, q), []).append(chain.weight)
        dense = np.zeros((size, size))         # dense csgraph input: 0 means no edge
        for (p, q), weights in self.parallel.items():
            weights.sort()
            dense[p, q] = dense[q, p] = weights[0]
        self.h = csr_matrix(dense)
        self.slots = {}
        for row in range(size):
            for slot in range(self.h.indptr[row], self.h.indptr[row + 1]):
                self.slots[(row, int(self.h.indices[slot]))] = slot

    def _weight_without(self, chain: Chain, p: int, q: int) -> float | None:
        """The branch edge p-q once `chain` is gone (inf: none left); None if unchanged."""
        if p == q:
            return None
        weights = list(self.parallel[(min(p, q), max(p, q))])
        weights.remove(chain.weight)
        if weights and weights[0] == self.parallel[(min(p, q), max(p, q))][0]:
            return None
        return weights[0] if weights else np.inf

    def _same_chain_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows, cols, keys = [], [], []
        for chain in self.parts.chains:
            for i, a in enumerate(chain.interior, start=1):
                for j, b in enumerate(chain.interior, start=1):
                    if i != j:
                        rows.append(self.local[a])
                        cols.append(self.local[b])
                        keys.append(abs(chain.pos[i] - chain.pos[j]))
        return np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp), np.array(keys, dtype=float)

    def expand(self, dh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(branch x node keys, node x node keys) for the branch keys `dh`."""
        nb = np.minimum(dh[:, self.end[:, 0]] + self.off[:, 0], dh[:, self.end[:, 1]] + self.off[:, 1])
        d = np.minimum(nb[self.end[:, 0]] + self.off[:, [0]], nb[self.end[:, 1]] + self.off[:, [1]])
        rows, cols, keys = self.same_chain
        d[rows, cols] = np.minimum(d[rows, cols], keys)
        np.fill_diagonal(d, 0)
        return nb, d

    def chain_failures(self, chain: Chain) -> list[Damage]:
        """The damage of failing each link of `chain`, in chain order."""
        p, q = self.bindex[chain.nodes[0]], self.bindex[chain.nodes[-1]]
        weight = self._weight_without(chain, p, q)
        if weight is None:
            dh, nb, outside = self.dh, self.nb, Damage()
        else:
            dh = self._branch_keys_with(weight, chain, p, q)
            nb, outside = self._outside_damage(dh, chain)
        return [outside.plus(self._cut_damage(chain, cut, dh, nb, p, q))
                for cut in range(1, len(chain.nodes))]

    def _branch_keys_with(self, weight: float, chain: Chain, p: int, q: int) -> np.ndarray:
        """Branch keys with edge p-q re-weighted: only sources that had a shortest path
        over the chain are searched again."""
        dh = self.dh
        over = (dh[:, [p]] + chain.weight + dh[[q], :] == dh) | (dh[:, [q]] + chain.weight + dh[[p], :] == dh)
        sources = np.nonzero(over.any(axis=1))[0]
        slots = [self.slots[(p, q)], self.slots[(q, p)]]
        saved = self.h.data[slots].copy()
        self.h.data[slots] = weight
        try:
            out = dh.copy()
            out[sources] = dijkstra(self.h, directed=False, indices=sources)
        finally:
            self.h.data[slots] = saved
        out[:, sources] = out[sources].T
        return out

    def _outside_damage(self, dh: np.ndarray, chain: Chain) -> tuple[np.ndarray, Damage]:
        """Damage to pairs with no end inside the failed chain. D[x, y] can change only if
        the key from one of x's chain ends to y did, so only those pairs are evaluated."""
        nb = np.minimum(dh[:, self.end[:, 0]] + self.off[:, 0], dh[:, self.end[:, 1]] + self.off[:, 1])
        moved = nb != self.nb
        rows, cols = np.nonzero(moved[self.end[:, 0]] | moved[self.end[:, 1]])
        upper = rows < cols            # both orientations of a changed pair are candidates
        rows, cols = rows[upper], cols[upper]
        after = np.minimum(self.off[rows, 0] + nb[self.end[rows, 0], cols],
                           self.off[rows, 1] + nb[self.end[rows, 1], cols])
        same = (self.chain_of[rows] == self.chain_of[cols]) & (self.chain_of[rows] >= 0)
        after[same] = np.minimum(after[same], np.abs(self.pos[rows] - self.pos[cols])[same])
        others = self.hosts.copy()
        others[[self.local[node] for node in chain.interior]] = 0
        return nb, damage(self.d[rows, cols], after, others[rows] * others[cols],
                          self.access[rows] + self.access[cols])

    def _cut_damage(self, chain: Chain, cut: int, dh: np.ndarray, nb: np.ndarray, p: int, q: int) -> Damage:
        """Damage to pairs with an end inside the chain, the link before chain.nodes[cut] cut."""
        if len(chain.nodes) <= 2:
            return Damage()
        rows = np.array([self.local[node] for node in chain.interior], dtype=np.intp)
        pos = np.array(chain.pos[1:-1], dtype=float)
        near_p = np.arange(1, len(chain.nodes) - 1) < cut
        walk = np.where(near_p, pos, chain.weight - pos)
        after = np.where(near_p[:, None], nb[p][None, :], nb[q][None, :]) + walk[:, None]
        same_side = near_p[:, None] == near_p[None, :]
        around = walk[:, None] + dh[p, q] + walk[None, :]
        after[:, rows] = np.where(same_side, np.abs(pos[:, None] - pos[None, :]), around)
        cols = self.hosts.astype(float)
        cols[rows] /= 2            # pairs inside the chain appear twice in these rows
        return damage(self.d[rows], after, np.outer(self.hosts[rows], cols),
                      self.access[rows][:, None] + self.access[None, :])

"""Question -> Answer: retrieve, pick the record or sentence that states the fact, quote it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from . import facts as F
from .index import Index
from .units import ABBREVIATIONS
from .question import InvalidQuestion, Question, expand_abbreviations, parse_question
from .records import Answer, Block, Citation, Duty, PlanRecords, Report, Target, Task
from .retrieve import bm25_scores, coverage, has_word, restore_diacritics, rrf, top
from .vocab import Vocabulary
from .structure import clean_markup
from .textnorm import collapse, fold, fold_word

# Words that carry the question's form rather than its content (folded syllables).
_FORM_WORDS = set("""ai nao gi la bao nhieu khi may cua thi va o co duoc phai nhung don vi phong chu tri phoi hop
han ngay hay vay the nhu minh toi trong ve voi cho do lam can se da dang mot cac tai xa phuong ke hoach cchc cai cach
hanh chinh nam bi hoi gom nhu truoc sau tu den luc gio xong hoan thanh thoi gian lan ra sao muc tieu chi dau
uy ban nhan dan ubnd trieu dong ty tien phan tram mang viec lau moi lay nop thuoc dat""".split()) | {"dinh_ky", "dau_moi", "bao_lau"}
_ROLE_WORDS = set("chiu trach nhiem phu dam nhan giao lo".split())
_REPORT_KIND_Q = re.compile(r"\b(?:bao cao|bc)\s+(quy|6 thang|sau thang|nam)\b")
_IDENTITY_Q = re.compile(r"\bso may\b|\bso hieu\b|\bky hieu\b|\bquyet dinh so\b|\bngay nao\b|\bban hanh (?:ngay|khi|luc)\b|\bngay ban hanh\b")
_PREAMBLE_Q = re.compile(r"\bcan cu\b|\bquyet dinh so\b|\bso may\b|\bkem theo\b|\bban hanh (?:ngay|khi|luc)\b|\bngay ban hanh\b")

MIN_COVERAGE = 0.45
FACT_CANDIDATES = 25
WEIGHTS = {"bm25": 1.0, "dense": 0.6}


@dataclass
class Candidate:
    passage: int
    plan: PlanRecords
    block: Block
    score: float
    coverage: float = 0.0
    fact: str = ""
    fit: float = 0.0
    key_missing: bool = False
    extra: list[Block] = field(default_factory=list)   # the blocks to quote, when not `block`


class Answerer:
    """Holds what answering needs from a loaded index; `ask` is pure given that state."""

    def __init__(self, index: Index, sources: dict[str, str], embedder=None, mode: str = "full"):
        self.index, self.sources, self.embedder, self.mode = index, sources, embedder, mode
        self.plans = {p.plan.id: p for p in index.plans}
        self.places = {p.plan.id: p.plan.place for p in index.plans}
        self.periods = {p.plan.id: p.plan.period for p in index.plans}
        seg = index.segmenter
        texts = [p.search_text for p in index.passages]
        self.vocab = {"fold": Vocabulary(seg.folded_words, texts), "accent": Vocabulary(seg.words, texts)}
        self.abbreviations = {fold(k) for k in ABBREVIATIONS}
        self.plan_of = np.array([p.plan for p in index.passages])
        self.by_span: dict[tuple[str, int], list] = {}
        for rec in index.plans:
            for r in (*rec.tasks, *rec.duties, *rec.reports, *rec.targets):
                self.by_span.setdefault((rec.plan.id, r.span.start), []).append(r)

    # ------------------------------------------------------------------ ranking
    def rank(self, q: Question, n: int = 40, dense: bool = True) -> list[tuple[int, float]]:
        """Passages fused from the BM25 ranking and (when `dense`) the FAISS ranking."""
        allowed = np.isin(self.plan_of, list(q.plan_ids)) if q.plan_ids else None
        rankings, weights = [], []
        if self.mode != "dense":
            rankings.append(top(self.lexical_scores(q), allowed, n))
            weights.append(WEIGHTS["bm25"])
        if dense and self.mode != "bm25" and self.embedder is not None and self.index.faiss_index is not None:
            rankings.append(self.dense_ranking(q, allowed, n))
            weights.append(WEIGHTS["dense"])
        fused = rrf(rankings, weights)
        return sorted(fused.items(), key=lambda kv: -kv[1])[:n]

    def lexical_scores(self, q: Question) -> np.ndarray:
        text = expand_abbreviations(q.text)
        seg = self.index.segmenter
        return bm25_scores(self.index.bm25, seg.tokens(text)) + bm25_scores(
            self.index.bm25_folded, seg.folded_tokens(text))

    def dense_ranking(self, q: Question, allowed: np.ndarray | None, n: int) -> list[int]:
        query = q.text if q.has_diacritics else restore_diacritics(q.text, self.index.restore)
        vec = np.ascontiguousarray(self.embedder.embed_queries([query]), dtype=np.float32)
        k = len(self.index.passages) if allowed is not None else min(n, len(self.index.passages))
        _, ids = self.index.faiss_index.search(vec, k)
        ranked = [int(i) for i in ids[0] if i >= 0 and (allowed is None or allowed[i])]
        return ranked[:n]

    def view(self, q: Question) -> Vocabulary:
        return self.vocab["accent" if q.has_diacritics else "fold"]

    def content_words(self, q: Question) -> list[str]:
        """The question's words that must appear in an answer's passage (folded, segmented):
        not its form words, place, period, abbreviations (their long forms count), nor the
        noun that names the kind of answer ("văn bản nào", "quyết định nào")."""
        plan_words = {w for p in q.plan_ids for w in
                      fold(f"{self.places[p]} {self.periods[p]}").replace("06", "6").split()}
        words = self.view(q).sequence(q.text)
        out = []
        for i, w in enumerate(words):
            parts = [fold_word(p) for p in w.split("_")]
            nxt = words[i + 1] if i + 1 < len(words) else ""
            form = _FORM_WORDS | (_ROLE_WORDS if q.intent in {"lead_unit", "cooperating_units"} else set())
            if (all(p in form or p in plan_words for p in parts) or re.fullmatch(r"20\d\d", w)
                    or fold_word(w) in self.abbreviations or fold_word(nxt) in {"nao", "gi", "may"}):
                continue
            out.append(w)
        return list(dict.fromkeys(out))



    # ------------------------------------------------------------------ answering
    def ask(self, raw: str) -> Answer:
        try:
            q = parse_question(raw, self.places, self.periods)
        except InvalidQuestion as exc:
            return Answer(question=raw or "", found=False, intent="invalid", text=str(exc), status="invalid")
        named = [p for p in q.plan_ids if fold(self.places[p].split(" ", 1)[-1]) in q.folded]
        if q.unknown_place and not named:
            return self.no_plan_for(q)
        words = self.content_words(q)
        # Lexical evidence and the records first; the dense ranking joins when they do not
        # already settle the answer (it costs most of a question's time on two cores).
        cands = self._candidates(q, words, dense=self.mode != "full")
        if self.mode == "full" and not self._decisive(q, cands):
            cands = self._candidates(q, words, dense=True)
        if q.intent == "unit_duties" and q.units:
            duty_answer = self._unit_duties(q, cands, words)
            if duty_answer:
                return duty_answer
        cands.sort(key=lambda c: -self._final(c))
        return self._compose(q, cands)

    def _candidates(self, q: Question, words: list[str], dense: bool) -> list[Candidate]:
        cands = [self._candidate(q, i, s, words) for i, s in self.rank(q, dense=dense)]
        # stating a fact costs more than ranking: only for the most promising candidates
        cands.sort(key=lambda c: -self._final(c))
        cands = cands[:FACT_CANDIDATES]
        for cand in cands:
            self._state(q, cand, words)
        return cands

    def _decisive(self, q: Question, cands: list[Candidate]) -> bool:
        """The lexical ranking already found a record that states the fact and covers
        the question (almost) fully, or well ahead of the next candidate."""
        ranked = sorted(cands, key=lambda c: -self._final(c))
        if not ranked or not self._verified(q, ranked[0]):
            return False
        best = ranked[0]
        runner = self._final(ranked[1]) if len(ranked) > 1 else 0.0
        return best.fit >= 0.5 and (best.coverage >= 0.85 or (
            best.coverage >= 0.7 and self._final(best) >= 1.25 * runner))

    @staticmethod
    def _final(c: Candidate) -> float:
        return c.score * (1 + c.fit) * (0.3 + c.coverage)

    def _candidate(self, q: Question, idx: int, score: float, words: list[str]) -> Candidate:
        p = self.index.passages[idx]
        rec = self.plans[p.plan]
        block = rec.blocks[p.block]
        cand = Candidate(idx, rec, block, score * 60)
        vocab = self.view(q)
        if not words:  # nothing but the plan itself is asked about
            cand.coverage = 1.0 if q.plan_ids else 0.0
        else:
            cand.coverage = coverage(words, vocab.sets[idx], vocab.idf)
        known = [w for w in words if w in vocab.idf and "_" in w]  # compounds: the nouns
        if known:
            key = max(known, key=lambda w: vocab.idf[w])
            cand.key_missing = not has_word(key, vocab.sets[idx])
        return cand

    def _state(self, q: Question, cand: Candidate, words: list[str]) -> None:
        if self.mode == "full":
            cand.fact, cand.fit = self._fact(q, cand, words)
        else:
            cand.fact, cand.fit = self._sentence(q, cand.block, words)[0], 0.0

    def records(self, cand: Candidate) -> list:
        return self.by_span.get((cand.plan.plan.id, cand.block.span.start), [])

    def _fact(self, q: Question, cand: Candidate, words: list[str]) -> tuple[str, float]:
        """The statement this candidate supports for the question's intent, and how well it fits."""
        recs = self.records(cand)
        task = next((r for r in recs if isinstance(r, Task)), None)
        duty = next((r for r in recs if isinstance(r, Duty)), None)
        reports = [r for r in recs if isinstance(r, Report)]
        targets = [r for r in recs if isinstance(r, Target)]
        it = q.intent
        if task:
            if it == "cooperating_units":
                return F.task_cooperating(task), 0.6
            if it in {"deadline", "report_deadline"}:
                return F.task_deadline(task), 0.6 if task.deadline else 0.0
            if it == "target" and targets:
                return F.target_line(self._best_target(targets, q, words)), 0.4
            return F.task_lead(task), 0.6 if it == "lead_unit" else 0.1
        if duty and it in {"lead_unit", "cooperating_units", "unit_duties", "general"}:
            if it == "cooperating_units":
                fit = 0.6 if (duty.partners or duty.role == "cooperate") else 0.1
                return F.duty_cooperating(duty, q.units), fit
            fit = {"lead": 0.6, "other": 0.35, "cooperate": 0.05}[duty.role] if it != "general" else 0.2
            if q.units and not any(u in q.units for u in [self._canon(duty.unit)]):
                fit *= 0.5
            return F.duty_line(duty), fit
        if reports and it in {"report_deadline", "deadline"}:
            report = self._best_report(reports, q)
            asked = _REPORT_KIND_Q.search(q.folded)
            if asked and not any(fold(r.what).endswith(asked.group(1).replace("sau", "6")) for r in reports):
                return F.report_line(report), -0.5   # the plan states another report's deadline
            if q.wants != "date" and re.search(r"\b(?:may lan|bao lau|dinh ky|nhung ky|ky nao)\b", q.folded):
                return F.report_frequency(reports), 0.6
            if q.wants == "date" and not (report.due and (report.due.day_of_month or report.due.due)):
                return F.report_line(report), -0.5
            return F.report_line(report), 0.6
        if targets and it == "target":
            return F.target_line(self._best_target(targets, q, words)), 0.5
        sentence, sfit = self._sentence(q, cand.block, words, it == "general")
        fact = F.sentence_fact(sentence, it)
        fit = 0.3 if fact.startswith("**") else 0.0
        if _PREAMBLE_Q.search(q.folded) and not cand.block.section:
            fit += 0.8
            if _IDENTITY_Q.search(q.folded) and (cand.plan.plan.number or cand.plan.plan.date):
                cand.extra = self._identity_blocks(cand.plan)
                return F.plan_identity(cand.plan.plan), fit + 0.5
        if it in {"lead_unit", "cooperating_units"}:
            fit = -0.3
        return fact, fit + 0.2 * sfit

    @staticmethod
    def _canon(name: str) -> str:
        from .units import canonical_unit
        return canonical_unit(name) or name

    def _sentence(self, q: Question, block: Block, words: list[str], whole: bool = False) -> tuple[str, float]:
        """The sentence (or clause) of a block that covers most of the question."""
        split = r"(?<=[.!?])\s+(?=\S)" if whole else r"(?<=[.;!?])\s+(?=\S)"
        parts = [s for s in re.split(split, block.text) if s.strip()] or [block.text]
        vocab = self.view(q)
        scored = [(coverage(words, vocab.words(s), vocab.idf), s) for s in parts]
        best = max(scored, key=lambda x: x[0])
        return best[1], best[0]

    def _best_report(self, reports: list[Report], q: Question) -> Report:
        def score(r: Report) -> float:
            s = 0.0
            kind = fold(r.what.replace("Báo cáo", "")).strip()
            if kind and re.search(rf"\b{re.escape(kind)}\b", q.folded):
                s += 2
            if r.recipient and any(w in q.folded for w in fold(r.recipient).split() if len(w) > 2 and w not in {"ban", "nhan", "dan"}):
                s += 1
            return s
        return max(reports, key=score)

    def _best_target(self, targets: list[Target], q: Question, words: list[str]) -> Target:
        """The value whose own words (those just before it) match the question best."""
        vocab = self.view(q)

        def score(t: Target) -> float:
            pos = t.indicator.find(t.value)
            before = t.indicator[max(0, pos - 80):pos] if pos >= 0 else t.indicator
            return coverage(words, vocab.words(before), vocab.idf) + 0.5 * coverage(words, vocab.words(t.indicator), vocab.idf)
        return max(targets, key=score)

    # ------------------------------------------------------------------ duties view
    def _unit_duties(self, q: Question, cands: list[Candidate], words: list[str]) -> Answer | None:
        """What a named unit owes: its duties in the plan, or else the tasks it leads."""
        unit = q.units[0]
        plan_ids = q.plan_ids or tuple(dict.fromkeys(c.plan.plan.id for c in cands))
        rank = {(c.plan.plan.id, c.block.span.start): i for i, c in enumerate(cands)}
        vocab = self.view(q)
        for pid in plan_ids:
            rec = self.plans[pid]
            owed = [d for d in rec.duties if self._canon(d.unit) == unit]
            verb = "được giao"
            if not owed:
                owed = [t for t in rec.tasks if any(self._canon(u) == unit for u in t.lead)]
                verb = f"chủ trì {len(owed)} nhiệm vụ, trong đó"
            if not owed:
                continue
            owed.sort(key=lambda r: (-coverage(words, vocab.words(_text_of(r)), vocab.idf),
                                     rank.get((pid, r.span.start), 999)))
            chosen = owed[:3]
            name = chosen[0].unit if isinstance(chosen[0], Duty) else next(
                u for u in chosen[0].lead if self._canon(u) == unit)
            body = " ".join(f"({i}) {F.short(F._strip(_text_of(r)), 150)}" for i, r in enumerate(chosen, 1))
            cites = tuple(self.cite(rec, self._block_at(pid, r.span.start)) for r in chosen)
            return Answer(question=q.text, found=True, intent=q.intent,
                          text=f"{F.b(name)} ({rec.plan.place}) {verb}: {body}", citations=cites, plans=(pid,))
        return None

    def _identity_blocks(self, rec: PlanRecords) -> list[Block]:
        """The opening blocks that carry the plan's number or date."""
        keys = [k for k in (rec.plan.number, rec.plan.date) if k]
        out = []
        for block in rec.blocks:
            if block.section:
                break
            flat = re.sub(r"\s+", "", block.text)
            if any(k.split("/")[0] in flat for k in keys) and re.search(r"số|ngày", block.text, re.I):
                out.append(block)
        return out[:2]

    def _block_at(self, plan_id: str, start: int) -> Block:
        return next(b for b in self.plans[plan_id].blocks if b.span.start == start)

    # ------------------------------------------------------------------ compose
    def _verified(self, q: Question, c: Candidate) -> bool:
        if c.fit < 0:
            return False
        if q.wants and not F.has_kind(c.fact, q.wants):
            return False
        if c.key_missing and c.coverage < 0.7:
            return False  # the question's most specific word is not in the passage
        return c.coverage >= MIN_COVERAGE

    def _compose(self, q: Question, cands: list[Candidate]) -> Answer:
        good = [c for c in cands if self._verified(q, c)]
        if not good:
            return self.not_found(q, cands)
        best = good[0]
        chosen = [best]
        if not q.plan_ids:
            for c in good[1:]:
                if len(chosen) >= 3:
                    break
                if c.plan.plan.id not in {x.plan.plan.id for x in chosen} and self._final(c) >= 0.75 * self._final(best):
                    chosen.append(c)
        if len(chosen) == 1:
            # name the plan when the question did not
            text = best.fact if q.plan_ids else f"{best.fact} [{best.plan.plan.place}]"
        else:
            text = "\n".join(f"• {c.plan.plan.place}: {c.fact}" for c in chosen)
        rest = [c for c in cands if c not in chosen][:3]
        return Answer(question=q.text, found=True, intent=q.intent, text=text,
                      citations=tuple(self.cite(c.plan, b) for c in chosen for b in (c.extra or [c.block])),
                      alternatives=tuple(self.cite(c.plan, c.block) for c in rest),
                      plans=tuple(c.plan.plan.id for c in chosen))

    def no_plan_for(self, q: Question) -> Answer:
        known = ", ".join(sorted(self.places.values()))
        text = f"Chưa có kế hoạch của {q.unknown_place} trong hệ thống. Các kế hoạch hiện có: {known}."
        return Answer(question=q.text, found=False, intent=q.intent, text=text, status="not_found")

    def not_found(self, q: Question, cands: list[Candidate]) -> Answer:
        where = f" của {', '.join(self.places[p] for p in q.plan_ids)}" if q.plan_ids else ""
        text = (f"Không tìm thấy thông tin này trong kế hoạch{where}. "
                "Dưới đây là các đoạn gần nhất để bạn tự kiểm tra.")
        return Answer(question=q.text, found=False, intent=q.intent, text=text, status="not_found",
                      alternatives=tuple(self.cite(c.plan, c.block) for c in cands[:3]))

    def cite(self, rec: PlanRecords, block: Block) -> Citation:
        return make_citation(self.sources.get(rec.plan.file), rec, block)


def _text_of(record) -> str:
    return record.text if isinstance(record, Duty) else record.content


def make_citation(source_text: str | None, rec: PlanRecords, block: Block) -> Citation:
    quote = clean_markup(source_text[block.span.start:block.span.end]) if source_text else block.text
    return Citation(doc=rec.plan.file, plan=rec.plan.id, plan_title=rec.plan.title,
                    section=" > ".join(block.section), quote=collapse(quote),
                    lines=(block.span.line_start, block.span.line_end),
                    start=block.span.start, end=block.span.end)

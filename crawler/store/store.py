"""Store: the one interface to the run history (runs, pages, findings, links, resources, and the state that spans
pages), on SQLite or PostgreSQL (crawler/store/backends.py), in SQLAlchemy Core.

Every string written is masked at this boundary (crawler.secrets.mask): a staging secret never reaches the
database, nor a report read from it. Reads return typed records (crawler/store/records.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from empathy_audit.crawler.secrets import mask, mask_any
from empathy_audit.crawler.store import migrate
from empathy_audit.crawler.store.backends import Backend, StoreError, backend_for
from empathy_audit.crawler.store.owner import STATUS_STOPPED, Owner, status_of
from empathy_audit.crawler.store.records import (
    FindingRecord,
    LinkFacts,
    PageRecord,
    Referrer,
    ResourceRecord,
    RunData,
    RunRecord,
    outcome_of,
    severity_of,
)
from empathy_audit.crawler.store.schema import (
    findings,
    link_referrers,
    link_targets,
    links,
    measurements,
    page_resources,
    pages,
    resources,
    runs,
)

_CHUNK = 500  # values per IN (...) list
_STREAM = 2000  # rows fetched at a time when a run is loaded
RESOURCE_COLUMNS = ("url", "status", "content_type", "bytes", "decoded_bytes", "gzip_bytes", "encoding",
                    "cache_control", "expires", "etag", "last_modified", "measured", "reason", "method", "info")
_NUMBERS = ("pages", "audited", "problems", "critical", "serious", "moderate", "minor")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(text: Any) -> Any:
    """A nullable JSON column's value (None when empty or unreadable)."""
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i: i + _CHUNK]


def open_store(url_or_path: Any) -> Store:
    """The history a --db value names (a path, sqlite:///..., postgresql://...), migrated; raises StoreError."""
    return Store(url_or_path)


class Store:
    """Run history. Open it once per run (open_store) and hand it over: it survives Scrapy's settings deep copy
    (AUDIT_STORE), and crawler.store.handover.store_for gives it to every component of a crawl."""

    def __init__(self, url_or_path: Any) -> None:
        self.backend: Backend = backend_for(url_or_path)
        self.path = self.backend.shown  # what messages show (a URL's password masked)
        try:
            self.engine = self.backend.engine()
            self._reader = self.engine.execution_options(readonly=True)
            # A read first: only a history that needs migrating takes the write lock (`history` or `report`
            # must not wait for a crawl writing the same file).
            with self._reader.connect() as conn:
                current = migrate.current(conn)
            if current != migrate.head():
                with self.engine.begin() as conn:
                    migrate.upgrade(conn, self.backend)
        except StoreError:
            self._dispose()
            raise
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            self._dispose()
            raise self.backend.open_error(exc) from None
        self._statements: dict[str, Any] = {}
        self._compiled: dict[tuple[int, tuple[str, ...]], tuple[str, tuple[str, ...] | None, Any]] = {}  # _bulk's SQL, keeping stmt alive
        self._insert: dict[str, Any] = {t.name: t.insert() for t in (findings, link_referrers)}
        # settle_links runs once a page: its statements are built once (bound parameters, IN lists expanding).
        t, r = link_targets.c, link_referrers.c
        run, urls = sa.bindparam("run"), sa.bindparam("urls", expanding=True)
        self._known = sa.select(t.url, t.status, t.broken).where(t.run_id == run, t.url.in_(urls))
        self._waiting = (sa.select(r.target, sa.func.count()).where(r.run_id == run, r.target.in_(urls))
                         .group_by(r.target))
        self._settled = (link_referrers.delete().where(r.run_id == run, r.target == sa.bindparam("own"))
                         .returning(r.id, r.page_url, r.selector, r.snippet))

    def _dispose(self) -> None:
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()

    def close(self) -> None:
        self._dispose()

    def __deepcopy__(self, memo: dict) -> Store:
        return self  # lives in the AUDIT_STORE setting: Scrapy's copies of the settings share it

    def __copy__(self) -> Store:
        return self

    def schema_version(self) -> str:
        with self._reader.connect() as conn:
            return str(migrate.current(conn))

    # --- statements built once ---------------------------------------------------------------------------------

    def _upsert(self, table: sa.Table, key: tuple[str, ...]) -> Any:
        """INSERT ... ON CONFLICT (key) DO UPDATE every other column: a row stored again replaces the first."""
        name = f"upsert:{table.name}"
        stmt = self._statements.get(name)
        if stmt is None:
            ins = self.backend.insert(table)
            stmt = self._statements[name] = ins.on_conflict_do_update(
                index_elements=list(key),
                set_={c.name: ins.excluded[c.name] for c in table.c if c.name not in key and c.name != "id"},
            )
        return stmt

    def _bulk(self, conn: sa.Connection, stmt: Any, rows: list[dict[str, Any]]) -> None:
        """Execute `stmt` for many rows with the driver's executemany, compiled once: per-row parameter handling in
        SQLAlchemy costs more than the insert itself on the hot paths (a page's findings and links)."""
        if not rows:
            return
        columns = tuple(rows[0])
        key = (id(stmt), columns)
        compiled = self._compiled.get(key)
        if compiled is None:
            c = stmt.compile(dialect=self.engine.dialect, column_keys=list(columns))
            compiled = self._compiled[key] = (str(c), tuple(c.positiontup) if c.positional else None, stmt)
        sql, order, _ = compiled
        conn.exec_driver_sql(sql, [tuple(r[k] for k in order) for r in rows] if order else rows)

    def _insert_ignore(self, table: sa.Table) -> Any:
        name = f"ignore:{table.name}"
        stmt = self._statements.get(name)
        if stmt is None:
            stmt = self._statements[name] = self.backend.insert(table).on_conflict_do_nothing()
        return stmt

    # --- writing ---------------------------------------------------------------------------------------------

    def start_run(self, site: str, start_url: str, settings: dict[str, Any], versions: dict[str, Any]) -> int:
        """A new "running" run owned by this process (crawler/store/owner.py). Runs this machine can tell were
        stopped unexpectedly are marked so on the way, for readers on other machines too."""
        with self.engine.begin() as conn:
            stopped = [rid for rid, owner in conn.execute(sa.select(runs.c.id, runs.c.owner)
                                                          .where(runs.c.status == "running"))
                       if status_of("running", _json(owner)) == STATUS_STOPPED]
            if stopped:
                conn.execute(runs.update().where(runs.c.id.in_(stopped), runs.c.status == "running")
                             .values(status=STATUS_STOPPED))
            result = conn.execute(runs.insert().values(mask_any({
                "site": site, "start_url": start_url, "started_at": _now(), "status": "running",
                "settings": json.dumps(settings, sort_keys=True), "versions": json.dumps(versions), "stats": "{}",
                "owner": json.dumps(Owner.current().as_dict()),
            })))
            return int(result.inserted_primary_key[0])

    def add_page(self, run_id: int, page: Mapping[str, Any], found: Iterable[Any], to: Iterable[str] = ()) -> None:
        """Store one page, its findings and its outgoing internal links in one transaction."""
        row = {
            "run_id": run_id,
            "url": page["url"],
            "final_url": page.get("final_url") or page["url"],
            "status": page.get("status"),
            "content_type": page.get("content_type") or "",
            "depth": page.get("depth", 0),
            "found_via": page.get("found_via", "link"),
            "referrer": page.get("referrer"),
            "sitemap_priority": page.get("sitemap_priority"),
            "title": page.get("title") or "",
            "error": page.get("error"),
            "redirect_chain": json.dumps(page.get("redirect_chain") or []),
            "headers": json.dumps(page.get("headers") or {}),
            "browser": json.dumps(page["browser"]) if page.get("browser") is not None else None,
            "fetched_at": page.get("fetched_at") or time.time(),
        }
        link_rows = [mask_any({"run_id": run_id, "from_url": page["url"], "to_url": t}) for t in set(to)]
        with self.engine.begin() as conn:
            conn.execute(self._upsert(pages, ("run_id", "url")), mask_any(row))
            self._insert_findings(conn, run_id, found)
            self._bulk(conn, self._insert_ignore(links), link_rows)

    def add_findings(self, run_id: int, found: Iterable[Any]) -> None:
        with self.engine.begin() as conn:
            self._insert_findings(conn, run_id, found)

    def _insert_findings(self, conn: sa.Connection, run_id: int, found: Iterable[Any]) -> None:
        rows = [
            mask_any({
                "run_id": run_id, "page_url": f.url, "check_id": f.check_id, "severity": str(f.severity),
                "outcome": str(f.outcome), "selector": f.selector, "snippet": f.snippet, "message": f.message,
                "sources": json.dumps(list(f.sources)), "data": json.dumps(f.data, default=str),
            })
            for f in found
        ]
        self._bulk(conn, self._insert["findings"], rows)

    def set_sitemap_priorities(self, run_id: int, priorities: Mapping[str, float]) -> None:
        """Give the run's stored pages their sitemap <priority> (url -> priority), however each page was first
        found; URLs that are not stored pages of the run are ignored."""
        if not priorities:
            return
        stmt = pages.update().where(pages.c.run_id == sa.bindparam("rid"), pages.c.url == sa.bindparam("u")) \
            .values(sitemap_priority=sa.bindparam("p"))
        with self.engine.begin() as conn:
            conn.execute(stmt, [{"p": float(p), "rid": run_id, "u": mask(url)}
                                for url, p in sorted(priorities.items())])

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any] | None = None,
                   versions: dict[str, Any] | None = None) -> None:
        with self.engine.begin() as conn:
            # Inbound links per page, counted in one pass over the run's links (a subquery per page walked every
            # link of the run for each page: 10,000 pages with 1.5 million links took hours).
            inbound = conn.execute(
                sa.select(links.c.to_url, sa.func.count())
                .where(links.c.run_id == run_id, links.c.from_url != links.c.to_url)
                .group_by(links.c.to_url)
            ).all()
            conn.execute(pages.update().where(pages.c.run_id == run_id).values(inbound_links=0))
            if inbound:
                conn.execute(
                    pages.update().where(pages.c.run_id == run_id, pages.c.url == sa.bindparam("u"))
                    .values(inbound_links=sa.bindparam("n")),
                    [{"u": url, "n": n} for url, n in inbound],
                )
            values: dict[str, Any] = {"finished_at": _now(), "status": status,
                                      "stats": json.dumps(stats or {}, default=str, sort_keys=True)}
            if versions:
                stored = conn.execute(sa.select(runs.c.versions).where(runs.c.id == run_id)).scalar()
                merged = {**json.loads(stored or "{}"), **{k: v for k, v in versions.items() if v}}
                values["versions"] = json.dumps(merged)
            conn.execute(runs.update().where(runs.c.id == run_id).values(mask_any(values)))

    def set_run_settings(self, run_id: int, settings: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(runs.update().where(runs.c.id == run_id)
                         .values(settings=mask(json.dumps(settings, sort_keys=True))))

    def set_run_stat(self, run_id: int, key: str, value: Any) -> None:
        """Set one entry of a run's stats (e.g. the impact score its report gave), keeping the others."""
        with self.engine.begin() as conn:
            self.backend.lock_run(conn, run_id)
            stored = conn.execute(sa.select(runs.c.stats).where(runs.c.id == run_id)).scalar()
            if stored is None:
                raise StoreError(f"There is no run {run_id} in {self.path}.")
            stats = {**json.loads(stored or "{}"), key: value}
            conn.execute(runs.update().where(runs.c.id == run_id)
                         .values(stats=mask(json.dumps(stats, default=str, sort_keys=True))))

    # --- reading ---------------------------------------------------------------------------------------------

    def run_ids(self, site: str | None = None) -> list[int]:
        query = sa.select(runs.c.id).order_by(runs.c.id)
        if site is not None:
            query = query.where(runs.c.site == site)
        with self._reader.connect() as conn:
            return [int(i) for i in conn.execute(query).scalars()]

    def get_run(self, run_id: int) -> RunRecord | None:
        with self._reader.connect() as conn:
            row = conn.execute(sa.select(runs).where(runs.c.id == run_id)).mappings().first()
        if row is None:
            return None
        owner = _json(row["owner"])
        return RunRecord(id=int(row["id"]), site=row["site"], start_url=row["start_url"],
                         started_at=row["started_at"], finished_at=row["finished_at"],
                         status=status_of(row["status"], owner),
                         settings=json.loads(row["settings"] or "{}"), versions=json.loads(row["versions"] or "{}"),
                         stats=json.loads(row["stats"] or "{}"), owner=owner)

    def latest_run_id(self, site: str | None = None) -> int | None:
        """The newest run that is not running (finished, interrupted, failed or stopped unexpectedly), of `site`
        when given; None when there is none."""
        query = sa.select(runs.c.id, runs.c.status, runs.c.owner).order_by(runs.c.id.desc())
        if site is not None:
            query = query.where(runs.c.site == site)
        with self._reader.connect() as conn:
            for rid, status, owner in conn.execute(query):
                if status_of(status, _json(owner)) != "running":
                    return int(rid)
        return None

    def load_run(self, run_id: int) -> RunData:
        """(run, pages, findings) as records: pages by depth then URL, findings in the order they were stored.

        Rows are streamed; equal strings are one object and equal JSON texts are parsed once (records are
        read-only), so a 10,000-page run loads in a fraction of the memory a dict per value would take.
        """
        run = self.get_run(run_id)
        if run is None:
            raise StoreError(f"There is no run {run_id} in {self.path}.")
        cache = _Interner()
        s, js = cache.s, cache.json
        page_list: list[PageRecord] = []
        found: list[FindingRecord] = []
        page_query = sa.select(
            pages.c.url, pages.c.final_url, pages.c.status, pages.c.content_type, pages.c.depth, pages.c.found_via,
            pages.c.referrer, pages.c.sitemap_priority, pages.c.title, pages.c.inbound_links, pages.c.error,
            pages.c.redirect_chain, pages.c.headers, pages.c.browser, pages.c.fetched_at,
        ).where(pages.c.run_id == run_id).order_by(pages.c.depth, pages.c.url)
        finding_query = sa.select(
            findings.c.check_id, findings.c.page_url, findings.c.selector, findings.c.snippet, findings.c.message,
            findings.c.severity, findings.c.outcome, findings.c.sources, findings.c.data,
        ).where(findings.c.run_id == run_id).order_by(findings.c.id)
        severities: dict[Any, Any] = {}
        outcomes: dict[Any, Any] = {}
        with self._reader.connect() as conn:
            conn = conn.execution_options(stream_results=True, yield_per=_STREAM)
            for (url, final_url, status, content_type, depth, found_via, referrer, priority, title, inbound, error,
                 chain, headers, browser, fetched_at) in conn.execute(page_query):
                page_list.append(PageRecord(
                    url=s(url), final_url=s(final_url), status=status, content_type=s(content_type), depth=depth,
                    found_via=s(found_via), referrer=s(referrer), sitemap_priority=priority, title=s(title),
                    inbound_links=inbound or 0, error=s(error), redirect_chain=js(chain, tuple) if chain else (),
                    headers=js(headers) if headers else None, browser=js(browser) if browser else None,
                    fetched_at=fetched_at,
                ))
            for check_id, url, selector, snip, message, severity, outcome, sources, data in conn.execute(
                finding_query
            ):
                sev = severities.get(severity)
                if sev is None:
                    sev = severities[severity] = severity_of(severity)
                out = outcomes.get(outcome)
                if out is None:
                    out = outcomes[outcome] = outcome_of(outcome)
                found.append(FindingRecord(
                    check_id=s(check_id), url=s(url), selector=s(selector), snippet=s(snip), message=s(message),
                    severity=sev, outcome=out, sources=js(sources, tuple), data=js(data),
                ))
        return RunData(run, page_list, found)

    def run_summaries(self, site: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Newest first: id, site, start_url, started_at, finished_at, status, pages, audited (HTML pages that
        answered 2xx), problems (distinct failing checks), and failing findings per severity (critical, serious,
        moderate, minor), and the run's stats (parsed)."""
        p, f = pages.alias("p"), findings.alias("f")

        def count(table: Any, *where: Any, what: Any = None) -> Any:
            return (sa.select(sa.func.count(what) if what is not None else sa.func.count())
                    .select_from(table).where(table.c.run_id == runs.c.id, *where).scalar_subquery())

        failing = f.c.outcome == "fail"
        html = sa.or_(p.c.content_type == "", p.c.content_type.like("text/html%"),
                      p.c.content_type.like("application/xhtml+xml%"))
        query = sa.select(
            runs.c.id, runs.c.site, runs.c.start_url, runs.c.started_at, runs.c.finished_at, runs.c.status,
            runs.c.stats, runs.c.owner, count(p).label("pages"),
            count(p, p.c.status >= 200, p.c.status < 300, p.c.error.is_(None), html).label("audited"),
            count(f, failing, what=f.c.check_id.distinct()).label("problems"),
            *(count(f, failing, f.c.severity == sev).label(sev) for sev in ("critical", "serious", "moderate",
                                                                           "minor")),
        ).order_by(runs.c.id.desc())
        if site:
            query = query.where(runs.c.site == site)
        if limit:
            query = query.limit(int(limit))
        with self._reader.connect() as conn:
            rows = [{k: (int(v) if k in _NUMBERS else json.loads(v or "{}") if k == "stats" else v)
                     for k, v in row.items()} for row in conn.execute(query).mappings()]
        for row in rows:
            row["status"] = status_of(row["status"], _json(row.pop("owner")))
        return rows

    # --- resources (media audit) -------------------------------------------------------------------------------

    def add_page_resources(self, run_id: int, page_url: str, measured: Iterable[Mapping[str, Any]],
                           loads: Iterable[Mapping[str, Any]],
                           made: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        """Store measured resources (one row per URL and run) and what one page loads, in one transaction.

        `measured`: mappings with the keys of the resources table (info a dict); `loads`: mappings with
        resource_url, type, found_via, in_weight, selector, data (a dict). A page's earlier rows are replaced.
        `made`: measurements made since the last page was stored (add_measurements), written in the same
        transaction.
        """
        resource_rows = [mask_any({"run_id": run_id, **{c: _resource_value(r, c) for c in RESOURCE_COLUMNS}})
                         for r in measured]
        load_rows = [
            mask_any({"run_id": run_id, "page_url": page_url, "resource_url": link["resource_url"],
                      "type": link["type"], "found_via": link["found_via"],
                      "in_weight": int(bool(link.get("in_weight", True))), "selector": link.get("selector") or "",
                      "data": json.dumps(link.get("data") or {}, default=str)})
            for link in loads
        ]
        with self.engine.begin() as conn:
            if made:
                self._insert_measurements(conn, run_id, made)
            if resource_rows:
                conn.execute(self._upsert(resources, ("run_id", "url")), resource_rows)
            conn.execute(page_resources.delete().where(page_resources.c.run_id == run_id,
                                                       page_resources.c.page_url == mask(page_url)))
            self._bulk(conn, self._insert_ignore(page_resources), load_rows)

    def load_resources(self, run_id: int) -> list[ResourceRecord]:
        """One record per (page, resource) of a run, by page then resource URL; shares strings and parsed JSON
        between records, like load_run."""
        cache = _Interner()
        s, js = cache.s, cache.json
        pr, r = page_resources, resources
        query = (
            sa.select(pr.c.page_url, pr.c.resource_url, pr.c.type, pr.c.found_via, pr.c.in_weight, pr.c.selector,
                      pr.c.data, r.c.status, r.c.content_type, r.c.bytes, r.c.decoded_bytes, r.c.gzip_bytes,
                      r.c.encoding, r.c.cache_control, r.c.expires, r.c.etag, r.c.last_modified, r.c.measured,
                      r.c.reason, r.c.method, r.c.info)
            .select_from(pr.outerjoin(r, sa.and_(r.c.run_id == pr.c.run_id, r.c.url == pr.c.resource_url)))
            .where(pr.c.run_id == run_id)
            .order_by(pr.c.page_url, pr.c.resource_url)
        )
        out: list[ResourceRecord] = []
        with self._reader.connect() as conn:
            conn = conn.execution_options(stream_results=True, yield_per=_STREAM)
            for (page_url, url, type_, found_via, in_weight, selector, data, status, content_type, nbytes, decoded,
                 gzipped, encoding, cache_control, expires, etag, last_modified, measured, reason, method,
                 info) in conn.execute(query):
                measured = bool(measured)
                if reason is None and not measured and method is None:
                    reason = "no measurement was stored for it"
                out.append(ResourceRecord(
                    page_url=s(page_url), url=s(url), type=s(type_), found_via=s(found_via),
                    in_weight=bool(in_weight), selector=s(selector), data=js(data or "{}"), status=status,
                    content_type=s(content_type or ""), bytes=nbytes, decoded_bytes=decoded, gzip_bytes=gzipped,
                    encoding=s(encoding or ""), cache_control=s(cache_control), expires=s(expires), etag=s(etag),
                    last_modified=s(last_modified), measured=measured, reason=s(reason), method=s(method),
                    info=js(info or "{}"),
                ))
        return out

    # --- state that spans pages ----------------------------------------------------------------------------------

    def settle_links(self, run_id: int, page_url: str, status: int | None, broken: bool,
                     to: Sequence[tuple[str, str, str]], max_waiting: int) -> LinkFacts:
        """Link integrity for one page, in one transaction every process crawling the run sees whole.

        `to`: the page's (target URL, selector, snippet) links whose target's fate the caller does not know yet.
        Targets already fetched come back as broken (url -> status) or fine; a link to a target not fetched yet is
        kept (at most `max_waiting` per target) until that target is settled. Then the page itself is recorded as
        fetched: when it is broken, the links waiting for it come back (and are dropped), in the order stored.
        """
        own = mask(page_url)
        by_masked: dict[str, str] = {}
        for target, _, _ in to:
            by_masked.setdefault(mask(target), target)
        known_broken: dict[str, int] = {}
        known_fine: set[str] = set()
        with self.engine.begin() as conn:
            self.backend.lock_run(conn, run_id)
            counts: dict[str, int] = {}
            unknown = list(by_masked)
            for part in _chunks(unknown):
                for url, code, is_broken in conn.execute(self._known, {"run": run_id, "urls": part}):
                    if is_broken:
                        known_broken[by_masked[url]] = code or 0
                    else:
                        known_fine.add(by_masked[url])
            pending = [u for u in unknown if by_masked[u] not in known_broken and by_masked[u] not in known_fine]
            for part in _chunks(pending):
                counts.update(conn.execute(self._waiting, {"run": run_id, "urls": part}).all())
            rows = []
            for target, selector, snip in to:
                if target in known_broken or target in known_fine:
                    continue
                key = mask(target)
                n = counts.get(key, 0)
                if n < max_waiting:
                    counts[key] = n + 1
                    rows.append(mask_any({"run_id": run_id, "target": target, "page_url": page_url,
                                          "selector": selector, "snippet": snip}))
            self._bulk(conn, self._insert["link_referrers"], rows)
            conn.execute(self._upsert(link_targets, ("run_id", "url")),
                         {"run_id": run_id, "url": own, "status": status, "broken": int(broken)})
            dropped = conn.execute(self._settled, {"run": run_id, "own": own}).all()
            waiting = [Referrer(p, sel, snip) for _, p, sel, snip in sorted(dropped)] if broken else []
        return LinkFacts(known_broken, frozenset(known_fine), waiting)

    def measurements(self, run_id: int, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
        """What the media audit stored for these URLs in this run (add_measurements), by URL: one query for a
        page's worth of resources."""
        # Stored URLs are masked: two URLs that differ only by a registered secret share a row (a known limit).
        wanted = {mask(u): u for u in urls}
        found: dict[str, dict[str, Any]] = {}
        if not wanted:
            return found
        m = measurements.c
        with self._reader.connect() as conn:
            for part in _chunks(list(wanted)):
                for url, text in conn.execute(sa.select(m.url, m.data).where(m.run_id == run_id, m.url.in_(part))):
                    if text:
                        found[wanted.get(url, url)] = json.loads(text)
        return found

    def add_measurements(self, run_id: int, made: Mapping[str, Mapping[str, Any]]) -> None:
        """Keep resources' measurements (url -> data) for the run; the first one stored stays (a URL is measured
        once)."""
        with self.engine.begin() as conn:
            self._insert_measurements(conn, run_id, made)

    def _insert_measurements(self, conn: sa.Connection, run_id: int, made: Mapping[str, Mapping[str, Any]]) -> None:
        rows = [mask_any({"run_id": run_id, "url": url, "data": json.dumps(data, default=str)})
                for url, data in made.items()]
        self._bulk(conn, self._insert_ignore(measurements), rows)


def _resource_value(r: Mapping[str, Any], column: str) -> Any:
    value = r.get(column)
    if column == "info":
        return json.dumps(value or {}, default=str)
    if column == "measured":
        return int(bool(value))
    if value is None and column in ("content_type", "encoding", "method"):
        return ""
    return value


class _Interner:
    """One object per distinct string, and one parsed value per distinct JSON text, while loading a run."""

    __slots__ = ("parsed", "strings")

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.parsed: dict[tuple[str, Any], Any] = {}

    def s(self, value: Any) -> Any:
        if value.__class__ is not str:
            return value
        return self.strings.setdefault(value, value)

    def json(self, text: str, as_type: Any = None) -> Any:
        key = (text, as_type)
        value = self.parsed.get(key)
        if value is None:
            value = _intern_json(json.loads(text), self.s)
            if as_type is not None:
                value = as_type(value)
            self.parsed[key] = value
        return value


def _intern_json(value: Any, s: Any) -> Any:
    if isinstance(value, dict):
        return {s(k): _intern_json(v, s) for k, v in value.items()}
    if isinstance(value, list):
        return [_intern_json(v, s) for v in value]
    return s(value)

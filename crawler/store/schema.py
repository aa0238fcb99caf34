"""The run history's tables, declared once for every query (the migrations in migrations/versions create them)."""

from __future__ import annotations

import sqlalchemy as sa

from empathy_audit.crawler.store.types import Int, Real, Str

metadata = sa.MetaData()

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", Int, primary_key=True, autoincrement=True),
    sa.Column("site", Str, nullable=False),
    sa.Column("start_url", Str, nullable=False),
    sa.Column("started_at", Str, nullable=False),
    sa.Column("finished_at", Str),
    sa.Column("status", Str, nullable=False),
    sa.Column("settings", Str, nullable=False),
    sa.Column("versions", Str, nullable=False),
    sa.Column("stats", Str, nullable=False, server_default="{}"),
    sa.Column("owner", Str),  # the crawl process that started the run, as JSON (crawler/store/owner.py)
    sqlite_autoincrement=True,
)

pages = sa.Table(
    "pages", metadata,
    sa.Column("id", Int, primary_key=True, autoincrement=True),
    sa.Column("run_id", Int, nullable=False),
    sa.Column("url", Str, nullable=False),
    sa.Column("final_url", Str, nullable=False),
    sa.Column("status", Int),
    sa.Column("content_type", Str, nullable=False, server_default=""),
    sa.Column("depth", Int, nullable=False),
    sa.Column("found_via", Str, nullable=False),
    sa.Column("referrer", Str),
    sa.Column("sitemap_priority", Real),
    sa.Column("title", Str, nullable=False, server_default=""),
    sa.Column("inbound_links", Int, nullable=False, server_default="0"),
    sa.Column("error", Str),
    sa.Column("redirect_chain", Str, nullable=False, server_default="[]"),
    sa.Column("headers", Str, nullable=False, server_default="{}"),
    sa.Column("browser", Str),
    sa.Column("fetched_at", Real, nullable=False),
    sa.UniqueConstraint("run_id", "url"),
    sqlite_autoincrement=True,
)

findings = sa.Table(
    "findings", metadata,
    sa.Column("id", Int, primary_key=True, autoincrement=True),
    sa.Column("run_id", Int, nullable=False),
    sa.Column("page_url", Str, nullable=False),
    sa.Column("check_id", Str, nullable=False),
    sa.Column("severity", Str, nullable=False),
    sa.Column("outcome", Str, nullable=False),
    sa.Column("selector", Str, nullable=False),
    sa.Column("snippet", Str, nullable=False),
    sa.Column("message", Str, nullable=False),
    sa.Column("sources", Str, nullable=False),
    sa.Column("data", Str, nullable=False, server_default="{}"),
    sqlite_autoincrement=True,
)

links = sa.Table(
    "links", metadata,
    sa.Column("run_id", Int, primary_key=True),
    sa.Column("from_url", Str, primary_key=True),
    sa.Column("to_url", Str, primary_key=True),
)

# What each page makes a visitor download (media audit): one measurement row per URL and run, one row per page and
# resource it loads.
resources = sa.Table(
    "resources", metadata,
    sa.Column("run_id", Int, primary_key=True),
    sa.Column("url", Str, primary_key=True),
    sa.Column("status", Int),
    sa.Column("content_type", Str, nullable=False, server_default=""),
    sa.Column("bytes", Int),
    sa.Column("decoded_bytes", Int),
    sa.Column("gzip_bytes", Int),
    sa.Column("encoding", Str, nullable=False, server_default=""),
    sa.Column("cache_control", Str),
    sa.Column("expires", Str),
    sa.Column("etag", Str),
    sa.Column("last_modified", Str),
    sa.Column("measured", Int, nullable=False),
    sa.Column("reason", Str),
    sa.Column("method", Str, nullable=False, server_default=""),
    sa.Column("info", Str, nullable=False, server_default="{}"),
)

page_resources = sa.Table(
    "page_resources", metadata,
    sa.Column("run_id", Int, primary_key=True),
    sa.Column("page_url", Str, primary_key=True),
    sa.Column("resource_url", Str, primary_key=True),
    sa.Column("type", Str, nullable=False),
    sa.Column("found_via", Str, nullable=False),
    sa.Column("in_weight", Int, nullable=False, server_default="1"),
    sa.Column("selector", Str, nullable=False, server_default=""),
    sa.Column("data", Str, nullable=False, server_default="{}"),
)

# State that spans pages, shared by every process crawling a run.
# A URL whose fetch is over: broken (4xx/5xx) or not. Links to it are settled from then on.
link_targets = sa.Table(
    "link_targets", metadata,
    sa.Column("run_id", Int, primary_key=True),
    sa.Column("url", Str, primary_key=True),
    sa.Column("status", Int),
    sa.Column("broken", Int, nullable=False),
)

# A link to a URL not fetched yet: the element that links to it, waiting for the target's status.
link_referrers = sa.Table(
    "link_referrers", metadata,
    sa.Column("id", Int, primary_key=True, autoincrement=True),
    sa.Column("run_id", Int, nullable=False),
    sa.Column("target", Str, nullable=False),
    sa.Column("page_url", Str, nullable=False),
    sa.Column("selector", Str, nullable=False),
    sa.Column("snippet", Str, nullable=False),
    sa.Index("link_referrers_target", "run_id", "target"),
    sqlite_autoincrement=True,
)

# A resource as the media audit measured it (a JSON document): each URL is measured once per run.
measurements = sa.Table(
    "measurements", metadata,
    sa.Column("run_id", Int, primary_key=True),
    sa.Column("url", Str, primary_key=True),
    sa.Column("data", Str, nullable=False),
)

"""link-file-type: links to documents and downloads say what kind of file they lead to."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import unquote, urlsplit

from empathy_audit.audits.accname import accessible_name, attr_text
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target, shorten
from empathy_audit.audits.static._wording import context_text, description, fold, iter_links, phrase_pattern, row_context

#: File extensions that download or leave the browser's page view, with the words that name their type.
#: The extension itself always counts ("PDF", ".docx").
FILE_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("pdf", "acrobat"),
    "doc": ("word", "doc", "docx", "document word", "microsoft word"),
    "docx": ("word", "doc", "docx", "microsoft word"),
    "odt": ("odt", "opendocument", "libreoffice", "openoffice"),
    "rtf": ("rtf", "rich text"),
    "xls": ("excel", "xls", "xlsx", "spreadsheet", "tableur", "feuille de calcul", "tabelle", "hoja de cálculo",
            "rekenblad", "foglio di calcolo", "planilha", "folha de cálculo"),
    "xlsx": ("excel", "xls", "xlsx", "spreadsheet", "tableur", "feuille de calcul", "tabelle", "hoja de cálculo",
             "rekenblad", "foglio di calcolo", "planilha", "folha de cálculo"),
    "ods": ("ods", "opendocument", "spreadsheet", "libreoffice", "tableur", "tabelle"),
    "csv": ("csv", "comma separated", "comma-separated"),
    "ppt": ("powerpoint", "ppt", "pptx", "slides", "slide deck"),
    "pptx": ("powerpoint", "ppt", "pptx", "slides", "slide deck"),
    "pps": ("powerpoint", "pps", "ppsx"),
    "ppsx": ("powerpoint", "pps", "ppsx"),
    "odp": ("odp", "opendocument", "libreoffice", "impress"),
    "zip": ("zip", "archive", "compressed", "zip-archiv", "archivo comprimido", "archief"),
    "rar": ("rar", "archive", "compressed"),
    "7z": ("7z", "7-zip", "archive", "compressed"),
    "gz": ("gz", "gzip", "tar", "archive", "compressed"),
    "tgz": ("tgz", "tar", "gzip", "archive", "compressed"),
    "tar": ("tar", "archive"),
    "epub": ("epub", "e-book", "ebook"),
    "mobi": ("mobi", "kindle", "e-book", "ebook"),
}
_PATTERNS = {ext: phrase_pattern((ext, *names)) for ext, names in FILE_TYPES.items()}


def file_extension(href: str | None) -> str | None:
    """The extension of the link's path when it is one of FILE_TYPES ("pdf"), else None."""
    if not href:
        return None
    try:
        path = unquote(urlsplit(href.strip()).path)
    except ValueError:
        return None
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "." not in last:
        return None
    ext = last.rsplit(".", 1)[-1].lower()
    return ext if ext in FILE_TYPES else None


@check(
    id="link-file-type",
    title="Links to files say the file type",
    failure_title="Links to files do not say the file type",
    severity=Severity.MINOR,
    personas=(Persona.SCREEN_READER, Persona.PREPAID_DATA, Persona.SLOW_CONNECTION, Persona.COGNITIVE),
    how_to_fix='Name the file type (and size) in the link or right next to it: "Café menu (PDF, 120 KB)".',
    best_practice=True,
)
def link_file_type(page: StaticPage) -> Iterator[Finding]:
    """What it checks: links (`<a href>`, `<area href>`) whose URL path ends in a document or archive extension
    (pdf, doc, docx, odt, rtf, xls, xlsx, ods, csv, ppt, pptx, pps, ppsx, odp, zip, rar, 7z, gz, tgz, tar, epub,
    mobi; or a `download` attribute naming such a file) and whose accessible name, description and surrounding
    sentence (the paragraph, list item or table cell around the link, and the other cells of its table row) never
    name the type: the extension or a
    word for it ("PDF", "Word", "Excel", "spreadsheet", "archive"...). The query string is ignored.
    Who it affects: screen-reader users are dropped into a different application or a download without warning;
    visitors on prepaid or slow connections start a large download they did not want; everyone must guess
    whether the file opens on their phone.
    How to fix: `<a href="/menu.pdf">Café menu (PDF, 120 KB)</a>`, or an icon inside the link with `alt="PDF"`.
    References: best practice, supporting WCAG 2.4.4 Link Purpose (In Context) and 3.2.5 Change on Request
    (technique G201 for content opening in another application); WebAIM "Links and Hypertext"; GOV.UK Design
    System guidance on links to documents.
    """
    for el in iter_links(page):
        if el.name not in ("a", "area"):
            continue
        ext = file_extension(attr_text(el, "href"))
        download = attr_text(el, "download")
        if ext is None and download:
            ext = file_extension("/" + download.strip())
        if ext is None:
            continue
        name = accessible_name(el)
        said = fold(" ".join((name, description(el), context_text(el), row_context(el))))
        if _PATTERNS[ext].search(said):
            continue
        yield page.finding(
            el,
            f"The link “{shorten(name, 60) or link_target(attr_text(el, 'href'))}” leads to a .{ext} file "
            "but does not say so: visitors cannot tell it will download or open another application, nor how "
            "big it is.",
            extension=ext,
        )

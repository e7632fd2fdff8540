"""Article text as stored: NFC, one kind of newline, HTML reduced to its text, and its id."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article",
          "section", "blockquote", "header", "footer", "ul", "ol", "table", "title"}
_SKIP = {"script", "style", "noscript", "template", "head"}


class _TextOnly(HTMLParser):
    """Collects the visible text of an HTML fragment, a newline per block element."""

    def __init__(self) -> None:
        """An empty collector."""
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        """Enter an element."""
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Leave an element."""
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep text outside script and style."""
        if not self.skipping:
            self.out.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML tags (at least two) rather than plain prose."""
    return len(_TAG.findall(text, 0, 20000)) >= 2


def html_to_text(text: str) -> str:
    """The visible text of an HTML document or fragment."""
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return unescape("".join(parser.out))


def clean_text(text: str) -> str:
    """Text as stored and geoparsed: HTML stripped, NFC, LF newlines, trimmed lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        text = html_to_text(text)
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def clean_field(value: object) -> str | None:
    """A metadata value as a trimmed NFC string, or None when empty."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    if looks_like_html(text):
        text = html_to_text(text).strip()
    return " ".join(text.split()) or None


def article_id(text: str) -> str:
    """The article's content id: sha256 of its NFC text, first 16 hex digits."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]

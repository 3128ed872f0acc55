"""Domains as the spam signals compare them, so a rule written any way matches the links it names."""

from urllib.parse import urlsplit


def normalise_domain(entry: str) -> str:
    """ "https://WWW.Kazino.ru/path", "kazino.ru." and "xn--80asehdb.xn--p1ai" as "kazino.ru" and "онлайн.рф".

    Lower case, no scheme, path, port, "www." or trailing dot, and Unicode rather than punycode labels
    (links in comments are read as written, in Cyrillic). Empty when nothing is left.
    """
    text = entry.strip().lower()
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    labels = [_unicode_label(label) for label in host.strip(".").split(".") if label]
    while len(labels) > 2 and labels[0] == "www":
        labels = labels[1:]
    return ".".join(labels)


def _unicode_label(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        return label.encode("ascii").decode("idna")
    except UnicodeError:
        return label  # not valid punycode: kept as written

"""Comment bodies as the news site sends them."""

from typing import Any


def comment_body(
    external_id: str = "c-1", text: str = "Спасибо за новость, очень интересно!", **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": external_id,
        "article": {"id": "a-1001", "url": "https://luki.ru/news/1001", "title": "Деловая миссия в Великих Луках"},
        "author": {
            "id": "u-7",
            "name": "Сизов Вячеслав",
            "ip": "198.51.100.7",
            "registered_at": "2024-11-01T10:00:00Z",
        },
        "text": text,
        "posted_at": "2024-11-15T12:00:00+03:00",
    }
    body.update(overrides)
    return body

"""A local HTTP server that imitates OpenAI's Chat Completions: the real SDK, real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.local_http import JsonHandler, serving_on_localhost


@dataclass
class FakeOpenAI:
    """Answers every chat completion with `content`, as `answering_model`."""

    content: str
    answering_model: str = "gpt-4o-mini-2024-07-18"
    # Answer these bytes as they are instead (what a proxy or a compatible service sends).
    raw_body: bytes | None = None
    content_type: str = "application/json"
    requests: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    base_url: str = ""

    def completion(self) -> bytes:
        return json.dumps(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 1_763_800_000,
                "model": self.answering_model,
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "logprobs": None,
                        "message": {"role": "assistant", "content": self.content, "refusal": None},
                    }
                ],
                "usage": {"prompt_tokens": 300, "completion_tokens": 120, "total_tokens": 420},
            }
        ).encode()


@contextmanager
def serving(fake: FakeOpenAI) -> Iterator[FakeOpenAI]:
    class Handler(JsonHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            fake.requests.append(json.loads(self.rfile.read(length)))
            fake.authorizations.append(self.headers.get("Authorization", ""))
            if fake.raw_body is None:
                self.send_json(fake.completion())
                return
            self.send_response(200)
            self.send_header("Content-Type", fake.content_type)
            self.send_header("Content-Length", str(len(fake.raw_body)))
            self.end_headers()
            self.wfile.write(fake.raw_body)

    with serving_on_localhost(Handler) as base_url:
        fake.base_url = f"{base_url}/v1"
        yield fake

"""Run the fake alone: `python -m pro_service.messages.fake_twilio --port 8099`."""

from __future__ import annotations

import argparse
import contextlib
import logging
import threading

from pro_service.messages.fake_twilio.server import FakeTwilio

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    """Serve the fake until interrupted, logging each accepted message."""
    parser = argparse.ArgumentParser(description="Local fake of Twilio's Messages API")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--account-sid", default="AC" + "0" * 32)
    parser.add_argument("--auth-token", default="fake-auth-token")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    fake = FakeTwilio(args.account_sid, args.auth_token, port=args.port).start()
    log.info("fake twilio listening on %s (account %s)", fake.url, args.account_sid)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    finally:
        fake.stop()


if __name__ == "__main__":
    main()

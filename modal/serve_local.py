"""Runs the overlay job API on this machine (CPU segmentation), for development and the Node
contract tests:

    cd modal && /usr/bin/python3 serve_local.py --port 8765
    # the same: /usr/bin/python3 -m uvicorn ugc_overlay.web:create_app --factory --port 8765

Point the bot at it with MODAL_OVERLAY_ENDPOINT=http://127.0.0.1:8765 (and MODAL_OVERLAY_TOKEN
equal to OVERLAY_TOKEN when set).
"""
from __future__ import annotations

import argparse

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    uvicorn.run("ugc_overlay.web:create_app", factory=True, host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()

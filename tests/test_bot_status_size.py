"""The status comment stays under GitHub's comment size limit for a long dossier."""

import datetime
from pathlib import Path

from review_bot.config import parse_config, parse_roster
from review_bot.state import Dossier
from review_bot.status import HISTORY_SHOWN, MAX_STATUS_CHARS, render

ROOT = Path(__file__).resolve().parent.parent
ROSTER = parse_roster((ROOT / ".github" / "roster.yaml").read_text(encoding="utf-8"))
CONFIG = parse_config((ROOT / ".github" / "portal.yaml").read_text(encoding="utf-8"))
NOW = datetime.datetime(2027, 6, 1, 3, 0, tzinfo=datetime.timezone.utc)
GITHUB_LIMIT = 65_536


def long_dossier() -> Dossier:
    dossier = Dossier(number=7, submitter="doanh-nghiep-mau", received="2026-03-02T02:00:00Z",
                      stage="2 · Tiếp nhận, rà soát", stage_since="2026-03-02T02:00:00Z", valid=False,
                      title="Hệ thống một cửa điện tử", proposal_path="content/proposals/he-thong.yaml")
    for index in range(3000):
        moment = datetime.datetime(2026, 3, 2, tzinfo=datetime.timezone.utc) + datetime.timedelta(hours=index)
        action = "returned" if index % 2 else "resubmitted"
        dossier.log(moment, action, "can-bo-tiep-nhan-1" if index % 2 else "doanh-nghiep-mau",
                    note=f"Lần {index}: bổ sung số liệu triển khai tại xã số {index}, kèm hợp đồng {index * 7}.")
    dossier.problems = [f"content/proposals/he-thong.yaml:{line}:3: deployments: lỗi số {line} " + "x" * 900
                        for line in range(200)]
    dossier.warnings = ["Tệp thừa " + "y" * 900 for _ in range(30)]
    return dossier


def test_long_dossier_under_limit():
    body = render(long_dossier(), CONFIG, ROSTER, NOW)
    assert len(body) <= MAX_STATUS_CHARS < GITHUB_LIMIT


def test_long_dossier_keeps_whole_history():
    dossier = long_dossier()
    restored = Dossier.decode(render(dossier, CONFIG, ROSTER, NOW))
    assert len(restored.history) == 3000
    assert restored.history[0]["note"] == dossier.history[0]["note"]
    assert len(restored.problems) == 200


def test_long_dossier_shows_recent_steps():
    body = render(long_dossier(), CONFIG, ROSTER, NOW)
    assert f"- … {3000 - HISTORY_SHOWN} bước trước đó" in body
    assert body.count("trả lại để bổ sung — `can-bo-tiep-nhan-1`") == HISTORY_SHOWN // 2
    assert "lỗi khác (chạy `portal validate` để xem đủ)" in body


def test_old_uncompressed_state_still_read():
    import base64
    import json
    from dataclasses import asdict

    dossier = Dossier(number=3, submitter="a", received="2026-03-02T02:00:00Z")
    raw = json.dumps(asdict(dossier)).encode("utf-8")
    body = "<!-- portal-review-bot:state " + base64.b64encode(raw).decode("ascii") + " -->"
    assert Dossier.decode(body) == dossier

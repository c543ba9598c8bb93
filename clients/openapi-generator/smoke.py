"""The client openapi-generator writes (python generator), used once as a developer would.

Signs in, reads the tree, searches, reads an action's ETag from the response headers,
lists November's deadlines, and downloads the monthly XLSX as bytes.
Usage: smoke.py BASE_URL (with the generated package `planaction_og` on PYTHONPATH)
"""

import io
import sys
import zipfile
from datetime import date

import planaction_og as og


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"openapi-generator client: {what}")


def main(base_url: str) -> None:
    anonymous = og.ApiClient(og.Configuration(host=base_url))
    tokens = og.AuthApi(anonymous).login(
        og.LoginRequest(email="ca@rqds.example", password="demo-conseil-admin")
    )
    client = og.ApiClient(og.Configuration(host=base_url, access_token=tokens.access_token))

    # The demo's plan: other clients may have imported plans of later years before this one.
    plan = next(p for p in og.PlansApi(client).list_plans() if p.title == "Plan d'action 2013-2014")
    tree = og.PlansApi(client).get_plan_tree(plan.id)
    check(len(tree.orientations) == 5, f"{len(tree.orientations)} orientations")

    found = og.ActionsApi(client).search_actions(plan_id=plan.id, q="communagir")
    check(found.total >= 1, "search found nothing")
    read = og.ActionsApi(client).get_action_with_http_info(found.items[0].id)
    check(read.status_code == 200 and read.data.id == found.items[0].id, "read action")
    headers = {name.lower(): value for name, value in (read.headers or {}).items()}
    check(headers.get("etag", "").startswith('"'), f"ETag header: {read.headers}")

    november = og.DeadlinesApi(client).plan_calendar(
        plan.id, since=date(2013, 11, 1), until=date(2013, 11, 30)
    )
    check(len(november) >= 1, "no deadline in November 2013")

    xlsx = og.ReportsApi(client).progress_report_xlsx(
        plan.id, since=date(2013, 10, 1), until=date(2013, 10, 31)
    )
    check(isinstance(xlsx, (bytes, bytearray)), f"xlsx is {type(xlsx)}")
    names = zipfile.ZipFile(io.BytesIO(bytes(xlsx))).namelist()
    check("xl/workbook.xml" in names, "the XLSX opens as a workbook")
    print("openapi-generator client: scenario passed")


if __name__ == "__main__":
    main(sys.argv[1])

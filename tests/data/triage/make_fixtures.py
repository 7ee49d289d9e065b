#!/usr/bin/env python3
"""Writes the triage fixtures: one invented factory's three nights of activity runs, exported in
every format `adf-troubleshooter triage` reads. Run from anywhere; rewrites the files beside it.

The error texts have the shapes of tests/data/eval.jsonl (the monitoring output's error JSON),
with invented names; nothing here is a real secret. The column and property names follow the
published references: the ADFActivityRun and SynapseIntegrationActivityRuns tables, the
diagnostic-log schema of activity runs (properties.Error {errorCode, message, failureType,
target}), and the REST ActivityRun (activityRunStart, error {...}, output).
"""
import csv
import datetime as dt
import gzip
import io
import json
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SUB = "0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0"
RG = "RG-DATA-PROD"
FACTORY = "ADF-FABRIKAM-PROD"
RESOURCE = f"/SUBSCRIPTIONS/{SUB}/RESOURCEGROUPS/{RG}/PROVIDERS/MICROSOFT.DATAFACTORY/FACTORIES/{FACTORY}"
AUTO = "AutoResolveIntegrationRuntime (West Europe)"
SHIR = "shir-fabrikam-01"
VNET = "ir-managed-vnet-weu"
CHAIN = "'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message="
rng = random.Random(14)


def guid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def sql_connect(day, i):
    ip = ["20.61.14.102", "20.61.14.117"][i % 2]
    return ("2200", "UserError", "Failure happened on 'Sink' side. ErrorCode=SqlFailedToConnect," + CHAIN +
            "Cannot connect to SQL Database: 'sql-fabrikam-dw.database.windows.net', Database: 'SalesDW', User: 'adf_loader'. "
            "Check the linked service configuration is correct, and make sure the SQL Database firewall allows the integration runtime to access.,"
            "Source=Microsoft.DataTransfer.ClientLibrary,''Type=System.Data.SqlClient.SqlException,Message=Cannot open server 'sql-fabrikam-dw' requested by the login. "
            f"Client with IP address '{ip}' is not allowed to access the server.  To enable access, use the Windows Azure Management Portal or run sp_set_firewall_rule "
            "on the master database to create a firewall rule for this IP address or range.  It may take up to five minutes for this change to take effect.,"
            "Source=.Net SqlClient Data Provider,SqlErrorNumber=40615,Class=14,ErrorCode=-2146232060,State=1,Errors=[{Class=14,Number=40615,State=1,"
            "Message=Cannot open server 'sql-fabrikam-dw' requested by the login.},],'")


def blob_404(day, i):
    return ("2200", "UserError", "Failure happened on 'Source' side. ErrorCode=AzureBlobOperationFailed," + CHAIN +
            f"Blob operation Failed. ContainerName: landing, path: landing/sales/2024/06/{day:02d}/orders_202406{day:02d}_{i}.csv.,"
            "Source=Microsoft.DataTransfer.ClientLibrary,''Type=Microsoft.WindowsAzure.Storage.StorageException,Message=The remote server returned an error: (404) Not Found.,"
            "Source=Microsoft.WindowsAzure.Storage,'StorageExtendedMessage=The specified blob does not exist.")


def sftp_denied(day, i):
    return ("2200", "UserError", "Failure happened on 'Sink' side. ErrorCode=SftpPermissionDenied," + CHAIN +
            f"Permission denied to access '/upload/outbound/2024-06-{day:02d}/',Source=Microsoft.DataTransfer.ClientLibrary,"
            "''Type=Renci.SshNet.Common.SftpPermissionDeniedException,Message=Permission denied,Source=Renci.SshNet,'")


def dataflow_dns(day, i):
    return ("DF-Executor-UnreachableStorageAccount", "UserError", "System is not able to resolve the IP address of the host.")


def custom_folder(day, i):
    return ("2507", "UserError", "The folder path does not exist or is empty: batchapps/release/2024-06")


def rest_429(day, i):
    page = 30 + 7 * i + day
    return ("2200", "UserError", "Failure happened on 'Source' side. ErrorCode=RestSourceCallFailed," + CHAIN +
            f"The HttpStatusCode 429 indicates failure.&#xA;Request URL: https://api.shop-fabrikam.example/v2/orders?page={page}&limit=250&#xA;"
            "Response payload:{\"message\":\"Rate limit exceeded\"},Source=Microsoft.DataTransfer.ClientLibrary,'")


def variable_scope(day, i):
    name = ["batchId", "runDate"][i % 2]
    return ("2011", "UserError", "ErrorCode=UserErrorInvalidPipelineVariableScope," + CHAIN +
            f"Variable '{name}' cannot be set from inside a parallel ForEach iteration.,Source=Microsoft.DataTransfer.ClientLibrary,'")


def webhook(day, i):
    return ("2011", "UserError", f"Webhook callback for activity Notify_Finance was not received within 00:10:00; correlation {guid()}")


def partner_feed(day, i):
    return ("3250", "UserError", f"Partner feed fabrikam-eu rejected batch 202406{day:02d}-{40 + i:04d}: {11 + 3 * i} records failed schema validation "
            f"(first: line {12 + i}, field 'orderTotal').")


# (pipeline, activity, activity type, integration runtime, error maker, failures per night, hour)
PLAN = [
    ("PL_Load_SalesDW", "Copy_Orders_To_SalesDW", "Copy", AUTO, sql_connect, 3, 2),
    ("PL_Ingest_Sales", "Copy_Orders_Daily", "Copy", SHIR, blob_404, 2, 1),
    ("PL_Export_Partners", "Copy_To_Partner_Sftp", "Copy", SHIR, sftp_denied, 1, 4),
    ("PL_Archive_Events", "DF_Load_Archive", "ExecuteDataFlow", VNET, dataflow_dns, 1, 3),
    ("PL_Batch_Scoring", "Run_Scoring_Exe", "Custom", AUTO, custom_folder, 1, 5),
    ("PL_Ingest_Shop", "Copy_Rest_Orders_Paged", "Copy", AUTO, rest_429, 1, 1),
    ("PL_Ingest_Sales", "Set_BatchId", "SetVariable", AUTO, variable_scope, 1, 1),
    ("PL_Notify", "Wait_Finance_Ack", "WebHook", AUTO, webhook, 1, 6),
    ("PL_Export_Partners", "Validate_Partner_Feed", "WebActivity", AUTO, partner_feed, 1, 4),
]
# Nights the first problem was not yet there: it starts on the second night.
DAYS = [3, 4, 5]


def runs():
    """Every activity run of the three nights: failures, and the runs around them that succeed."""
    out = []
    for day in DAYS:
        for n, (pipeline, activity, kind, ir, make, per_night, hour) in enumerate(PLAN):
            if n == 0 and day == 3:
                per_night = 0
            for i in range(per_night):
                start = dt.datetime(2024, 6, day, hour, 5 * i + n, 13, 118000 + 1000 * n, tzinfo=dt.timezone.utc)
                code, failure_type, message = make(day, i)
                out.append(dict(pipeline=pipeline, activity=activity, kind=kind, ir=ir, start=start,
                                end=start + dt.timedelta(seconds=41 + n), status="Failed", code=code,
                                failure_type=failure_type, message=message, run=guid(), prun=guid()))
            for i in range(2):
                start = dt.datetime(2024, 6, day, hour, 30 + i * 10, 2, 500000, tzinfo=dt.timezone.utc)
                out.append(dict(pipeline=pipeline, activity=activity, kind=kind, ir=ir, start=start,
                                end=start + dt.timedelta(seconds=95), status="Succeeded", code="", failure_type="",
                                message="", run=guid(), prun=guid()))
    out.sort(key=lambda r: r["start"])
    return out


def iso(t, digits=7):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}0"[:digits] + "Z"


def portal(t):
    """The Log Analytics portal's CSV time: 6/3/2024, 2:00:13.118 AM."""
    hour = t.hour % 12 or 12
    return f"{t.month}/{t.day}/{t.year}, {hour}:{t.minute:02d}:{t.second:02d}.{t.microsecond // 1000:03d} {'AM' if t.hour < 12 else 'PM'}"


def error_object(r):
    return {"errorCode": r["code"], "message": r["message"], "failureType": r["failure_type"], "target": r["activity"], "details": ""}


def output(r):
    if r["kind"] == "Copy":
        return {"dataRead": 0 if r["status"] == "Failed" else 1048576, "filesRead": 0, "copyDuration": 12,
                "effectiveIntegrationRuntime": r["ir"], "usedDataIntegrationUnits": 4}
    return {"effectiveIntegrationRuntime": r["ir"]}


LA_COLUMNS = ["TenantId", "SourceSystem", "TimeGenerated [UTC]", "ResourceId", "OperationName", "Category", "CorrelationId",
              "Level", "Location", "Tags", "Status", "UserProperties", "Annotations", "EventMessage", "Start [UTC]", "ActivityName",
              "ActivityRunId", "PipelineRunId", "EffectiveIntegrationRuntime", "ActivityType", "ActivityIterationCount",
              "LinkedServiceName", "End [UTC]", "FailureType", "PipelineName", "Input", "Output", "ErrorCode", "ErrorMessage",
              "Error", "Type", "_ResourceId"]


def la_rows(all_runs, table="ADFActivityRun"):
    """Log Analytics writes an InProgress record when an activity starts and one when it ends."""
    tenant = "5c9b0e1a-2f3d-4b6c-8e7f-9a0b1c2d3e4f"
    rows = []
    for r in all_runs:
        for status in ["InProgress", r["status"]]:
            done = status != "InProgress"
            failed = status == "Failed"
            rows.append({
                "TenantId": tenant, "SourceSystem": "Azure",
                "TimeGenerated [UTC]": r["end"] if done else r["start"], "ResourceId": RESOURCE,
                "OperationName": f"{r['activity']} - {status if done else ''}".rstrip(),
                "Category": "ActivityRuns", "CorrelationId": r["prun"], "Level": "Error" if failed else "Informational",
                "Location": "westeurope", "Tags": "{}", "Status": status, "UserProperties": "{}", "Annotations": "[]",
                "EventMessage": "", "Start [UTC]": r["start"], "ActivityName": r["activity"], "ActivityRunId": r["run"],
                "PipelineRunId": r["prun"], "EffectiveIntegrationRuntime": r["ir"], "ActivityType": r["kind"],
                "ActivityIterationCount": "1", "LinkedServiceName": "", "End [UTC]": r["end"] if done else None,
                "FailureType": r["failure_type"] if failed else "", "PipelineName": r["pipeline"],
                "Input": json.dumps({"source": {"type": "BinarySource"}}), "Output": json.dumps(output(r)) if done else "",
                "ErrorCode": r["code"] if failed else "", "ErrorMessage": r["message"] if failed else "",
                "Error": json.dumps(error_object(r)) if failed else json.dumps({"errorCode": "", "message": "", "failureType": "", "target": r["activity"], "details": ""}),
                "Type": table, "_ResourceId": RESOURCE.lower(),
            })
    return rows


def write(path, data, compress=False):
    path = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if compress:
        data = gzip.compress(data, mtime=0)
        path += ".gz"
    with open(path, "wb") as f:
        f.write(data)


def csv_text(rows, columns, time_format=portal):
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\r\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([time_format(v) if isinstance(v, dt.datetime) else ("" if v is None else v) for v in (row.get(c) for c in columns)])
    return buffer.getvalue()


def main():
    all_runs = runs()
    # Log Analytics: the portal's CSV export, and `az monitor log-analytics query` JSON.
    la = la_rows(all_runs)
    text = "\ufeff" + csv_text(la, LA_COLUMNS)
    write("log-analytics/ADFActivityRun.csv", text)
    write("log-analytics/ADFActivityRun.csv", text, compress=True)
    query = []
    for row in la:
        item = {k.replace(" [UTC]", ""): (iso(v) if isinstance(v, dt.datetime) else ("" if v is None else v)) for k, v in row.items()
                if k in ("TimeGenerated [UTC]", "Status", "Start [UTC]", "End [UTC]", "ActivityName", "ActivityRunId", "ActivityType",
                         "PipelineName", "PipelineRunId", "EffectiveIntegrationRuntime", "ErrorCode", "ErrorMessage", "FailureType")}
        item["TableName"] = "PrimaryResult"
        query.append(item)
    write("log-analytics/az-monitor-query.json", json.dumps(query, indent=2))
    write("log-analytics/az-monitor-query.json", json.dumps(query, indent=2), compress=True)
    # Synapse: the same nights in a workspace's SynapseIntegrationActivityRuns table. Its published
    # column list names no error column; the export here carries the error columns ADFActivityRun has.
    synapse_columns = ["TenantId", "TimeGenerated [UTC]", "OperationName", "Category", "CorrelationId", "Level", "Location",
                       "Status", "Start [UTC]", "End [UTC]", "ActivityName", "ActivityRunId", "ActivityType", "PipelineName",
                       "PipelineRunId", "EffectiveIntegrationRuntime", "ErrorCode", "ErrorMessage", "FailureType", "Type"]
    synapse = la_rows(all_runs, "SynapseIntegrationActivityRuns")
    write("log-analytics/SynapseIntegrationActivityRuns.csv", csv_text(synapse, synapse_columns))

    # Diagnostic settings to a storage account: insights-logs-activityruns/resourceId=.../y=/m=/d=/h=/m=00/PT1H.json,
    # one JSON record per line; the first night's hours gzip-compressed (as copied down by a script).
    by_hour = {}
    for r in all_runs:
        for status in ["", r["status"]]:
            done = status != ""
            failed = status == "Failed"
            error = error_object(r) if failed else {"errorCode": "", "message": "", "failureType": "", "target": r["activity"]}
            record = {
                "Level": 4, "correlationId": r["prun"], "time": iso(r["end"] if done else r["start"]),
                "activityRunId": r["run"], "pipelineRunId": r["prun"], "resourceId": RESOURCE, "category": "ActivityRuns",
                "level": "Error" if failed else "Informational", "operationName": f"{r['activity']} - {status}",
                "pipelineName": r["pipeline"], "activityName": r["activity"], "start": iso(r["start"]),
                "end": iso(r["end"]) if done else "1601-01-01T00:00:00Z",
                "properties": {"Input": {"source": {"type": "BinarySource"}}, "Output": output(r) if done else {},
                               "Error": error, "Annotations": [], "UserProperties": {}},
            }
            key = r["start"].strftime("y=%Y/m=%m/d=%d/h=%H")
            by_hour.setdefault(key, []).append(record)
    base = f"diagnostic/insights-logs-activityruns/resourceId={RESOURCE}"
    for key, records in sorted(by_hour.items()):
        lines = "".join(json.dumps(rec, separators=(",", ":")) + "\n" for rec in records)
        write(f"{base}/{key}/m=00/PT1H.json", lines, compress=key.startswith("y=2024/m=06/d=03"))
    # The older {"records": [...]} shape, for one night.
    night = [rec for key, recs in sorted(by_hour.items()) if key.startswith("y=2024/m=06/d=04") for rec in recs]
    write("diagnostic-records/PT1H.json", json.dumps({"records": night}, indent=1))
    write("diagnostic-records/PT1H.json", json.dumps({"records": night}, indent=1), compress=True)

    # REST / SDK / CLI: `az datafactory activity-run query-by-pipeline-run` prints the REST response.
    value = []
    for r in all_runs:
        value.append({
            "activityName": r["activity"], "activityRunEnd": iso(r["end"]), "activityRunId": r["run"],
            "activityRunStart": iso(r["start"]), "activityType": r["kind"], "durationInMs": int((r["end"] - r["start"]).total_seconds() * 1000),
            "error": error_object(r) if r["status"] == "Failed" else {"errorCode": "", "message": "", "failureType": "", "target": r["activity"], "details": ""},
            "input": {"source": {"type": "BinarySource"}}, "linkedServiceName": "", "output": output(r),
            "pipelineName": r["pipeline"], "pipelineRunId": r["prun"], "retryAttempt": None, "status": r["status"],
            "userProperties": {}, "iterationHash": "", "recoveryStatus": "None",
        })
    document = json.dumps({"continuationToken": None, "value": value}, indent=2)
    write("rest/query-by-pipeline-run.json", document)
    write("rest/query-by-pipeline-run.json", document, compress=True)
    # Windows PowerShell: Get-AzDataFactoryV2ActivityRun | ConvertTo-Json > runs.json writes UTF-16 and /Date()/ times.
    ps = []
    for r in all_runs:
        ms = lambda t: f"/Date({int(t.timestamp() * 1000)})/"
        ps.append({
            "ResourceGroupName": RG.lower(), "DataFactoryName": FACTORY.lower(), "ActivityRunId": r["run"],
            "ActivityName": r["activity"], "ActivityType": r["kind"], "PipelineRunId": r["prun"], "PipelineName": r["pipeline"],
            "Input": {"source": {"type": "BinarySource"}}, "Output": output(r), "LinkedServiceName": "",
            "ActivityRunStart": ms(r["start"]), "ActivityRunEnd": ms(r["end"]), "DurationInMs": 41000, "Status": r["status"],
            "Error": error_object(r) if r["status"] == "Failed" else {"errorCode": "", "message": "", "failureType": "", "target": r["activity"], "details": ""},
        })
    write("powershell/Get-AzDataFactoryV2ActivityRun.json", b"\xff\xfe" + json.dumps(ps, indent=4).encode("utf-16-le"))

    # Malformed records among good ones: each must be counted with its line, and the rest read.
    good = [row for row in la if row["Status"] == "Failed"][:3]
    text = csv_text(good, LA_COLUMNS)
    lines = text.split("\r\n")
    bad_time = dict(good[0], **{"Start [UTC]": "yesterday", "TimeGenerated [UTC]": "yesterday"})
    broken = [lines[0], lines[1],
              "only,three,fields",
              csv_text([bad_time], LA_COLUMNS).split("\r\n", 1)[1].rstrip("\r\n"),
              lines[2],
              '"6/5/2024, 1:00:00.000 AM","unterminated']
    write("malformed/ADFActivityRun-broken.csv", "\r\n".join(broken) + "\r\n")
    jsonl = [json.dumps(by_hour[k][i]) for k in sorted(by_hour)[:1] for i in range(len(by_hour[k]))]
    failed_lines = [json.dumps(rec) for k in sorted(by_hour) for rec in by_hour[k] if rec["level"] == "Error"][:2]
    write("malformed/PT1H-broken.json", "\n".join([
        failed_lines[0],
        failed_lines[1][: len(failed_lines[1]) // 2],
        "42",
        "",
        '{"hello": "world"}',
        failed_lines[0].replace('"time": "', '"time": "not a time ').replace('"start": "', '"start": "soon '),
        failed_lines[1],
    ]) + "\n")
    truncated = json.dumps({"value": value[:6]}, indent=2)
    write("malformed/truncated-rest.json", truncated[: int(len(truncated) * 0.7)])

    # Hostile texts: markup and secrets in messages and names must come out as text, masked.
    hostile = []
    base_time = dt.datetime(2024, 6, 5, 7, 0, 0, tzinfo=dt.timezone.utc)
    for i, (pipeline, message) in enumerate([
        ("PL_<img src=x onerror=alert(1)>", "Lookup failed: <script>alert('owned')</script> while reading https://stfabrikam.blob.core.windows.net/cfg/a.json?sv=2022-11-02&sr=b&sig=q0tYh8Zr%2BFAKEFAKEFAKE%3D"),
        ("PL_Secrets", "Login failed for connection 'Server=tcp:sql-fabrikam.database.windows.net;Database=dw;User ID=adf;Password=Hunter2FAKE!;'"),
        ("PL_Secrets", "Login failed for connection 'Server=tcp:sql-fabrikam.database.windows.net;Database=dw;User ID=adf;Password=Other3FAKE!;'"),
    ]):
        start = base_time + dt.timedelta(minutes=i)
        hostile.append(json.dumps({
            "status": "Failed", "pipelineName": pipeline, "activityName": "Lookup_Config", "activityType": "Lookup",
            "activityRunStart": iso(start), "activityRunId": guid(), "pipelineRunId": guid(),
            "error": {"errorCode": "2100", "message": message, "failureType": "UserError", "target": "Lookup_Config"},
        }))
    write("hostile/activity-runs.jsonl", "\n".join(hostile) + "\n")


if __name__ == "__main__":
    main()

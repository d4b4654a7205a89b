import json
import os

import boto3

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(os.environ["TABLE_NAME"])

HEADERS = {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}


def respond(status, body):
    return {"statusCode": status, "headers": HEADERS, "body": json.dumps(body)}


def lambda_handler(event, context):
    # The same function also receives stream and S3 events; only API requests have a body.
    if "httpMethod" not in event:
        print(json.dumps(event))
        return {"processed": len(event.get("Records", []))}
    try:
        body = json.loads(event["body"]) if event.get("body") else {}
        user_id, name, email = body.get("user_id"), body.get("name"), body.get("email")
        if not user_id or not name or not email:
            return respond(400, {"error": "Missing required fields: user_id, name, email"})
        table.put_item(
            Item={"user_id": user_id, "name": name, "email": email, "created_at": context.aws_request_id}
        )
        return respond(200, {"message": "User created successfully", "user_id": user_id})
    except Exception as e:  # the tutorial reports any failure as a 500
        return respond(500, {"error": str(e)})

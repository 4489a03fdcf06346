//! `/api/openapi.json`: the JSON API described for clients and code generators.

use serde_json::{Value, json};

/// The OpenAPI 3.1 document of the JSON API.
pub(super) fn openapi() -> Value {
    let read = |summary: &str, params: Value| {
        json!({
            "get": {
                "summary": summary,
                "parameters": params,
                "security": [{ "bearer": [] }, { "session": [] }],
                "responses": {
                    "200": { "description": "The JSON of the CLI command's --format json" },
                    "401": { "$ref": "#/components/responses/Error" },
                    "403": { "$ref": "#/components/responses/Error" },
                    "422": { "$ref": "#/components/responses/Error" },
                    "503": { "$ref": "#/components/responses/Error" }
                }
            }
        })
    };
    let query = |name: &str, description: &str| json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string" } });
    let task =
        json!({ "name": "task", "in": "path", "required": true, "schema": { "type": "string" } });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "socctl board API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The views of `socctl serve` as JSON: each answers exactly what the CLI command named in its summary prints with --format json."
        },
        "paths": {
            "/api/due": read("socctl due [--date] [--team]", json!([query("date", "YYYY-MM-DD, default today"), query("team", "team id, name or alias")])),
            "/api/week": read("socctl week [--date] [--team]", json!([query("date", "a day of the week"), query("team", "team id, name or alias")])),
            "/api/tasks/{task}": read("socctl show TASK", json!([task])),
            "/api/tasks/{task}/next": read("socctl next TASK --count 5", json!([task])),
            "/api/tasks/{task}/history": read("socctl history --task TASK", json!([task])),
            "/api/teams": read("socctl teams", json!([])),
            "/api/roles": read("socctl roles", json!([])),
            "/api/report": read("socctl report [--team] [--from] [--to]", json!([query("team", "team"), query("from", "first due date"), query("to", "last due date")])),
            "/api/record/{action}": {
                "post": {
                    "summary": "socctl done | skip | undo | trigger: the same rules and refusals",
                    "parameters": [{ "name": "action", "in": "path", "required": true, "schema": { "enum": ["done", "skip", "undo", "trigger"] } }],
                    "security": [{ "bearer": [] }, { "session": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Recording" } } } },
                    "responses": {
                        "201": { "description": "The record written, as `socctl done --format json` prints it" },
                        "401": { "$ref": "#/components/responses/Error" },
                        "403": { "$ref": "#/components/responses/Error" },
                        "409": { "$ref": "#/components/responses/Error" },
                        "422": { "$ref": "#/components/responses/Error" }
                    }
                }
            },
            "/calendar/{team}.ics": {
                "get": {
                    "summary": "socctl export ics --team TEAM, as a live subscription",
                    "parameters": [
                        { "name": "team", "in": "path", "required": true, "schema": { "type": "string" } },
                        { "name": "token", "in": "query", "required": true, "description": "a token with the calendar:TEAM scope", "schema": { "type": "string" } }
                    ],
                    "responses": { "200": { "description": "text/calendar" }, "401": { "$ref": "#/components/responses/Error" }, "403": { "$ref": "#/components/responses/Error" } }
                }
            },
            "/calendar/person/{person}.ics": {
                "get": {
                    "summary": "socctl export ics --person MEMBER, as a live subscription",
                    "parameters": [
                        { "name": "person", "in": "path", "required": true, "description": "a member id of roles.yaml", "schema": { "type": "string" } },
                        { "name": "token", "in": "query", "required": true, "description": "a token with the calendar-person:MEMBER scope", "schema": { "type": "string" } }
                    ],
                    "responses": { "200": { "description": "text/calendar" }, "401": { "$ref": "#/components/responses/Error" }, "403": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" } }
                }
            }
        },
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "session": { "type": "apiKey", "in": "cookie", "name": "socctl" }
            },
            "schemas": {
                "Recording": {
                    "type": "object",
                    "required": ["task"],
                    "properties": {
                        "task": { "type": "string" },
                        "team": { "type": "string" },
                        "all_teams": { "type": "string", "description": "any value but `false`: --all-teams" },
                        "occurrence": { "type": "string", "format": "date" },
                        "date": { "type": "string", "format": "date" },
                        "note": { "type": "string" },
                        "reason": { "type": "string", "description": "skip and trigger" },
                        "reference": { "type": "string", "description": "--ref" },
                        "csrf": { "type": "string", "description": "the session's CSRF token (not needed with a bearer token)" }
                    }
                }
            },
            "responses": {
                "Error": { "description": "Refused", "content": { "application/json": { "schema": { "type": "object", "properties": { "error": { "type": "string" } } } } } }
            }
        }
    })
}

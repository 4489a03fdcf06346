//! The route table: each route's handler names the [`Permission`] it needs and asks
//! [`crate::access::Principal::may`] before anything else.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Form, MatchedPath, Path, Query, Request, State as Shared};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::Value;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use super::auth::{self, Caller};
use super::pages::{self, Page};
use super::{EngineError, Peer, RecordAction, Recording, State, View, blocking};
use crate::access::{Login, Permission, Principal};

/// The board's router over `state`, with every layer: authentication, Origin checks,
/// limits, security headers and metrics.
pub fn app(state: Arc<State>) -> Router {
    let limits = state.settings.limits.clone();
    let mut router = Router::new()
        .route("/", get(board_page))
        .route("/week/{team}", get(week_page))
        .route("/task/{task}", get(task_page))
        .route("/teams", get(teams_page))
        .route("/report", get(report_page))
        .route("/admin", get(admin_page))
        .route("/record/{action}", post(record_form))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/api/due", get(api_due))
        .route("/api/week", get(api_week))
        .route("/api/tasks/{task}", get(api_show))
        .route("/api/tasks/{task}/{part}", get(api_task_part))
        .route("/api/teams", get(api_teams))
        .route("/api/roles", get(api_roles))
        .route("/api/report", get(api_report))
        .route("/api/record/{action}", post(api_record))
        .route("/api/catalog/problems", get(api_problems))
        .route("/api/openapi.json", get(openapi))
        .route("/calendar/{file}", get(calendar))
        .route("/calendar/person/{file}", get(person_calendar))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/static/socctl.css", get(css))
        .route("/favicon.ico", get(favicon))
        .route_layer(middleware::from_fn_with_state(state.clone(), measure))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request,
        ));
    for layer in super::headers::layers(state.secure()) {
        router = router.layer(layer);
    }
    router.with_state(state)
}

/// A page as an answer.
fn rendered(markup: maud::Markup) -> Response {
    axum::response::Html(markup.into_string()).into_response()
}

/// Counts and times every routed request.
async fn measure(Shared(state): Shared<Arc<State>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.request(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// A refusal or failure, as a page or as JSON.
pub(super) struct Failure {
    status: StatusCode,
    message: String,
    json: bool,
    /// A browser without a session goes to the login page instead.
    to_login: bool,
}

impl Failure {
    fn new(status: StatusCode, message: impl Into<String>, json: bool) -> Self {
        Self {
            status,
            message: message.into(),
            json,
            to_login: false,
        }
    }

    fn engine(error: &EngineError, json: bool) -> Self {
        let status = match &error {
            EngineError::Usage(_) => StatusCode::UNPROCESSABLE_ENTITY,
            EngineError::Conflict(_) => StatusCode::CONFLICT,
            EngineError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            EngineError::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(status, error.to_string(), json)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if self.to_login && !self.json {
            return Redirect::to("/login").into_response();
        }
        let mut response = if self.json {
            (
                self.status,
                axum::Json(serde_json::json!({ "error": self.message })),
            )
                .into_response()
        } else {
            (self.status, rendered(pages::error(&self.message))).into_response()
        };
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            // The journal out of reach or busy: a client (or a load balancer) may try again.
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"socctl\""),
            );
        }
        response
    }
}

/// The principal of `caller` when it may do `permission`: 401 without (valid)
/// credentials, 403 when not allowed.
fn allow<'c>(
    caller: &'c Caller,
    permission: &Permission<'_>,
    json: bool,
) -> Result<&'c Principal, Failure> {
    let Some(principal) = &caller.principal else {
        let mut failure = Failure::new(
            StatusCode::UNAUTHORIZED,
            if caller.refused {
                "not logged in: the session or token is not valid (expired, revoked or unknown)"
            } else {
                "not logged in: log in, or send an API token (Authorization: Bearer TOKEN)"
            },
            json,
        );
        failure.to_login = true;
        return Err(failure);
    };
    if principal.may(permission) {
        Ok(principal)
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            format!(
                "`{}` ({}) may not do this",
                principal.account().name,
                principal.account().role.as_str()
            ),
            json,
        ))
    }
}

/// `view` on the catalog in force: kept from an earlier request while the catalog, the
/// journal and the clock's minute are the same (see [`super::cache`]), else computed.
async fn view(state: &Arc<State>, view: View) -> Result<Bytes, EngineError> {
    let catalog = state.catalog();
    let (journal, now) = {
        let (shared, catalog) = (state.clone(), catalog.clone());
        state
            .work(move || {
                let journal = shared.views.probe.read(|| shared.engine.journal_version());
                (journal, shared.engine.now(&catalog))
            })
            .await
            .map_err(EngineError::Unavailable)?
    };
    let compute = || {
        let (state, catalog, view) = (state.clone(), catalog.clone(), view.clone());
        async move {
            let shared = state.clone();
            state
                .work(move || shared.engine.view(&catalog, &view))
                .await
                .map_err(EngineError::Unavailable)?
                .map(Bytes::from)
        }
    };
    match now {
        Ok(now) => {
            state
                .views
                .get(&view, &catalog, journal, now, compute)
                .await
        }
        Err(_) => compute().await,
    }
}

/// [`view`], parsed.
async fn view_value(state: &Arc<State>, v: View) -> Result<Value, Failure> {
    let bytes = view(state, v)
        .await
        .map_err(|e| Failure::engine(&e, false))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), false))
}

/// JSON bytes as an answer.
fn json_bytes(bytes: impl Into<Bytes>) -> Response {
    let bytes: Bytes = bytes.into();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

/// `?date=YYYY-MM-DD&team=T`.
#[derive(Debug, Default, Deserialize)]
struct DayQuery {
    date: Option<String>,
    team: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// A date parameter, `None` when absent or blank.
fn date_param(value: Option<&String>, name: &str, json: bool) -> Result<Option<Date>, Failure> {
    match value.map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => crate::calendar::parse_date(text).map(Some).ok_or_else(|| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                format!("`{text}` is not a date for {name}; use YYYY-MM-DD"),
                json,
            )
        }),
    }
}

fn blank(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// What every page shows around its content.
fn page<'c>(state: &State, caller: &'c Caller, principal: &'c Principal) -> Page<'c> {
    let catalog = state.catalog();
    Page {
        principal,
        csrf: caller.csrf(),
        banner: principal
            .may(&Permission::Admin)
            .then(|| state.problem())
            .flatten(),
        teams: catalog
            .teams
            .iter()
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect(),
    }
}

async fn board_page(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    let principal = allow(&caller, &Permission::Read, false)?;
    let date = date_param(query.date.as_ref(), "date", false)?;
    let team = blank(query.team.clone());
    let items = view_value(
        &state,
        View::Due {
            date,
            team: team.clone(),
        },
    )
    .await?;
    let catalog = state.catalog();
    let today = match date {
        Some(date) => date,
        None => state
            .engine
            .today(&catalog)
            .map_err(|e| Failure::engine(&e, false))?,
    };
    Ok(rendered(pages::board(
        &page(&state, &caller, principal),
        &catalog,
        &items,
        today,
        team.as_deref(),
    )))
}

async fn week_page(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Path(team): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    let principal = allow(&caller, &Permission::Read, false)?;
    let catalog = state.catalog();
    if !catalog.teams.iter().any(|t| t.id == team) {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("no team `{team}`"),
            false,
        ));
    }
    let date = date_param(query.date.as_ref(), "date", false)?;
    let items = view_value(
        &state,
        View::Week {
            date,
            team: Some(team.clone()),
        },
    )
    .await?;
    Ok(rendered(pages::week(
        &page(&state, &caller, principal),
        &catalog,
        &team,
        &items,
    )))
}

async fn task_page(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Path(task): Path<String>,
) -> Result<Response, Failure> {
    let principal = allow(&caller, &Permission::Read, false)?;
    let catalog = state.catalog();
    if !catalog.tasks.iter().any(|t| t.id == task) {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("no task `{task}`"),
            false,
        ));
    }
    let show = view_value(&state, View::Show { task: task.clone() }).await?;
    let next = view_value(&state, View::Next { task: task.clone() }).await?;
    let history = view_value(&state, View::History { task: task.clone() }).await?;
    Ok(rendered(pages::task(
        &page(&state, &caller, principal),
        &show,
        &next,
        &history,
    )))
}

async fn teams_page(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, Failure> {
    let principal = allow(&caller, &Permission::Read, false)?;
    let teams = view_value(&state, View::Teams).await?;
    let roles = view_value(&state, View::Roles).await?;
    Ok(rendered(pages::teams(
        &page(&state, &caller, principal),
        &teams,
        &roles,
    )))
}

/// Weeks in the report's chart.
const CHART_WEEKS: i64 = 8;

async fn report_page(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    let principal = allow(&caller, &Permission::Read, false)?;
    let from = date_param(query.from.as_ref(), "from", false)?;
    let to = date_param(query.to.as_ref(), "to", false)?;
    let team = blank(query.team.clone());
    let report = view_value(
        &state,
        View::Report {
            team: team.clone(),
            from,
            to,
        },
    )
    .await?;
    // The chart: the same report, one week at a time, for the last weeks up to today.
    let catalog = state.catalog();
    let today = state
        .engine
        .today(&catalog)
        .map_err(|e| Failure::engine(&e, false))?;
    let monday =
        crate::calendar::add_days(today, -i64::from(today.weekday().to_monday_zero_offset()))
            .unwrap_or(today);
    let mut weeks = Vec::new();
    for back in (0..CHART_WEEKS).rev() {
        let Some(start) = crate::calendar::add_days(monday, -7 * back) else {
            continue;
        };
        let end = crate::calendar::add_days(start, 6)
            .unwrap_or(start)
            .min(today);
        let week = view_value(
            &state,
            View::Report {
                team: team.clone(),
                from: Some(start),
                to: Some(end),
            },
        )
        .await?;
        weeks.push((start, week));
    }
    Ok(rendered(pages::report(
        &page(&state, &caller, principal),
        &report,
        &weeks,
    )))
}

async fn admin_page(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, Failure> {
    let principal = allow(&caller, &Permission::Admin, false)?;
    Ok(rendered(pages::admin(
        &page(&state, &caller, principal),
        state.problem().as_deref(),
    )))
}

/// A recording form's fields (the API takes the same as JSON).
#[derive(Debug, Default, Deserialize)]
struct RecordFields {
    csrf: Option<String>,
    task: String,
    team: Option<String>,
    all_teams: Option<String>,
    occurrence: Option<String>,
    date: Option<String>,
    note: Option<String>,
    reason: Option<String>,
    #[serde(alias = "ref")]
    reference: Option<String>,
    /// Where the form's page was (a path of ours), to go back to.
    back: Option<String>,
}

/// Checks and records `fields` for `action`; the record written, as JSON.
async fn record(
    state: &Arc<State>,
    caller: &Caller,
    action: &str,
    fields: RecordFields,
    json: bool,
) -> Result<Vec<u8>, Failure> {
    let Some(action) = RecordAction::parse(action) else {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("`{action}` is not a recording; use done, skip, undo or trigger"),
            json,
        ));
    };
    if caller.principal.is_some() && !caller.csrf_ok(fields.csrf.as_deref()) {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "refused: the form's CSRF token is missing or wrong; reload the page and try again",
            json,
        ));
    }
    let catalog = state.catalog();
    let Some(task) = catalog.tasks.iter().find(|t| t.id == fields.task) else {
        // Permission first, so the catalog's task list is not probed anonymously.
        allow(caller, &Permission::Read, json)?;
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("no task `{}`; nothing recorded", fields.task),
            json,
        ));
    };
    let team = blank(fields.team.clone()).map(|name| match catalog.find_team(&name) {
        Some(crate::catalog::TeamSelector::Team(index)) => catalog.teams[index].id.clone(),
        _ => name,
    });
    let all_teams = fields
        .all_teams
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "false");
    // The teams whose obligation the record settles: every one must be the caller's.
    let teams: Vec<String> = match &team {
        Some(team) => vec![team.clone()],
        None => task
            .teams
            .iter()
            .map(|&t| catalog.teams[t].id.clone())
            .collect(),
    };
    let lead = matches!(action, RecordAction::Undo | RecordAction::Trigger);
    let mut principal = None;
    for team in &teams {
        let permission = if lead {
            Permission::Lead { team }
        } else {
            Permission::Record { team }
        };
        principal = Some(allow(caller, &permission, json)?);
    }
    let by = principal
        .or(caller.principal.as_ref())
        .map(|p| p.account().name.clone())
        .unwrap_or_default();
    let note = match action {
        RecordAction::Skip | RecordAction::Trigger => blank(fields.reason).or(blank(fields.note)),
        _ => blank(fields.note),
    };
    let recording = Recording {
        action,
        task: fields.task,
        team,
        all_teams,
        occurrence: date_param(fields.occurrence.as_ref(), "occurrence", json)?,
        date: date_param(fields.date.as_ref(), "date", json)?,
        note,
        reference: blank(fields.reference),
    };
    // Waiting for a turn holds no thread; the turn is held until the journal has answered,
    // even when the client has gone.
    let turn = state
        .records
        .turn()
        .await
        .map_err(|e| Failure::engine(&e, json))?;
    let shared = state.clone();
    let written = blocking(move || {
        let written = shared.engine.record(&shared.catalog(), &by, &recording);
        drop(turn);
        written
    })
    .await
    .map_err(|e| Failure::engine(&e, json))?;
    state.metrics.recorded(action.as_str());
    Ok(written)
}

/// A path of our own to go back to after a form (never another site).
fn back_to(back: Option<&str>) -> String {
    back.filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .map_or_else(|| "/".to_owned(), str::to_owned)
}

async fn record_form(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Path(action): Path<String>,
    Form(fields): Form<RecordFields>,
) -> Result<Response, Failure> {
    let back = back_to(fields.back.as_deref());
    record(&state, &caller, &action, fields, false).await?;
    // Post, redirect, get: a reload does not record twice.
    Ok(Redirect::to(&back).into_response())
}

async fn api_record(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Path(action): Path<String>,
    axum::Json(fields): axum::Json<RecordFields>,
) -> Result<Response, Failure> {
    let written = record(&state, &caller, &action, fields, true).await?;
    Ok((StatusCode::CREATED, json_bytes(written)).into_response())
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
struct LoginFields {
    name: String,
    password: String,
    csrf: Option<String>,
}

async fn login_page(Shared(state): Shared<Arc<State>>) -> Response {
    login_form(&state, StatusCode::OK, None)
}

/// The login page with a fresh double-submit token.
fn login_form(state: &State, status: StatusCode, message: Option<&str>) -> Response {
    let secure = state.secure();
    let token = uuid::Uuid::new_v4().simple().to_string();
    let mut response = (status, rendered(pages::login(&token, message))).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(auth::login_cookie(secure), Some(&token), secure),
    );
    response
}

async fn login(
    Shared(state): Shared<Arc<State>>,
    peer: Option<Extension<Peer>>,
    headers: axum::http::HeaderMap,
    Form(fields): Form<LoginFields>,
) -> Result<Response, Failure> {
    let secure = state.secure();
    let expected = auth::cookie(&headers, auth::login_cookie(secure));
    let posted = fields.csrf.as_deref();
    if !matches!((expected, posted), (Some(e), Some(p)) if auth::same(e, p)) {
        return Ok(login_form(
            &state,
            StatusCode::FORBIDDEN,
            Some("The login form expired; try again."),
        ));
    }
    let address = auth::client_address(&state, peer.map(|p| p.0.0.ip()), &headers);
    if let Err(wait) = state.logins.attempt(address, Instant::now()) {
        let mut response = login_form(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            Some("Too many login attempts from this address; wait a few minutes."),
        );
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        return Ok(response);
    }
    let old = auth::cookie(&headers, auth::session_cookie(secure)).map(str::to_owned);
    let directory = state.directory.clone();
    // The password check takes its turn (19 MiB of memory each): a flood of logins from
    // many addresses queues here, bounded, rather than on threads of its own.
    let checked = state
        .check_password(move || {
            let now = jiff::Timestamp::now();
            match directory.login(&fields.name, &fields.password, now)? {
                Login::Accepted(account) => {
                    // A new session id at every login; the one the browser came with ends.
                    if let Some(old) = old {
                        directory.close_session(&old)?;
                    }
                    Ok(Ok(directory.open_session(&account, now)?))
                }
                other => Ok(Err(other)),
            }
        })
        .await;
    let outcome = match checked {
        Ok(outcome) => outcome.map_err(|e: crate::access::AccessError| {
            Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string(), false)
        })?,
        Err(busy) => {
            // The login form again, to try in a few seconds.
            let mut response = login_form(&state, StatusCode::SERVICE_UNAVAILABLE, Some(&busy));
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            return Ok(response);
        }
    };
    match outcome {
        Ok(opened) => {
            let mut response = Redirect::to("/").into_response();
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                auth::set_cookie(auth::session_cookie(secure), Some(&opened.secret), secure),
            );
            headers.append(
                header::SET_COOKIE,
                auth::set_cookie(auth::login_cookie(secure), None, secure),
            );
            Ok(response)
        }
        Err(Login::LockedUntil(until)) => Ok(login_form(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            Some(&format!(
                "This account is locked after too many failed logins, until {}.",
                until.strftime("%Y-%m-%d %H:%M UTC")
            )),
        )),
        Err(_) => Ok(login_form(
            &state,
            StatusCode::UNAUTHORIZED,
            Some("Wrong name or password."),
        )),
    }
}

/// The logout form's field.
#[derive(Debug, Deserialize)]
struct LogoutFields {
    csrf: Option<String>,
}

async fn logout(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Form(fields): Form<LogoutFields>,
) -> Result<Response, Failure> {
    let Some((secret, _)) = caller.session.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !caller.csrf_ok(fields.csrf.as_deref()) {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "refused: the form's CSRF token is missing or wrong",
            false,
        ));
    }
    let directory = state.directory.clone();
    state
        .work(move || directory.close_session(&secret))
        .await
        .map_err(|busy| Failure::new(StatusCode::SERVICE_UNAVAILABLE, busy, false))?
        .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string(), false))?;
    let secure = state.secure();
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(auth::session_cookie(secure), None, secure),
    );
    Ok(response)
}

/// A read-only API route: the permission, checked once and first (nothing about the
/// request, not even a malformed date, is answered to someone who may not read), then the
/// view `v` builds from the request, in the engine's JSON as it is.
async fn api_view(
    state: &Arc<State>,
    caller: &Caller,
    v: impl FnOnce() -> Result<View, Failure>,
) -> Result<Response, Failure> {
    allow(caller, &Permission::Read, true)?;
    view(state, v()?)
        .await
        .map(json_bytes)
        .map_err(|e| Failure::engine(&e, true))
}

async fn api_due(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    api_view(&state, &caller, || {
        Ok(View::Due {
            date: date_param(query.date.as_ref(), "date", true)?,
            team: blank(query.team),
        })
    })
    .await
}

async fn api_week(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    api_view(&state, &caller, || {
        Ok(View::Week {
            date: date_param(query.date.as_ref(), "date", true)?,
            team: blank(query.team),
        })
    })
    .await
}

async fn api_show(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Path(task): Path<String>,
) -> Result<Response, Failure> {
    api_view(&state, &caller, || Ok(View::Show { task })).await
}

/// `/api/tasks/TASK/next` and `/api/tasks/TASK/history`.
async fn api_task_part(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Path((task, part)): Path<(String, String)>,
) -> Result<Response, Failure> {
    let v = match part.as_str() {
        "next" => View::Next { task },
        "history" => View::History { task },
        _ => {
            return Err(Failure::new(
                StatusCode::NOT_FOUND,
                "a task has /next and /history",
                true,
            ));
        }
    };
    api_view(&state, &caller, || Ok(v)).await
}

async fn api_teams(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, Failure> {
    api_view(&state, &caller, || Ok(View::Teams)).await
}

async fn api_roles(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, Failure> {
    api_view(&state, &caller, || Ok(View::Roles)).await
}

async fn api_report(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<DayQuery>,
) -> Result<Response, Failure> {
    api_view(&state, &caller, || {
        Ok(View::Report {
            team: blank(query.team),
            from: date_param(query.from.as_ref(), "from", true)?,
            to: date_param(query.to.as_ref(), "to", true)?,
        })
    })
    .await
}

async fn api_problems(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, Failure> {
    allow(&caller, &Permission::Admin, true)?;
    Ok(axum::Json(serde_json::json!({ "problem": state.problem() })).into_response())
}

async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        super::api::openapi().to_string(),
    )
        .into_response()
}

/// `?token=SECRET`, how calendar applications subscribe.
#[derive(Debug, Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

async fn calendar(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Path(file): Path<String>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, Failure> {
    let Some(team) = file.strip_suffix(".ics").map(str::to_owned) else {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "calendars are /calendar/TEAM.ics",
            true,
        ));
    };
    let caller = feed_caller(&state, caller, query).await?;
    allow(&caller, &Permission::Calendar { team: &team }, true)?;
    if !state.catalog().teams.iter().any(|t| t.id == team) {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("no team `{team}`"),
            true,
        ));
    }
    feed(&state, View::Calendar { team }).await
}

/// `/calendar/person/MEMBER.ics`: what `socctl export ics --person MEMBER` prints.
async fn person_calendar(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
    Path(file): Path<String>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, Failure> {
    let Some(person) = file.strip_suffix(".ics").map(str::to_owned) else {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "a person's calendar is /calendar/person/MEMBER.ics",
            true,
        ));
    };
    let caller = feed_caller(&state, caller, query).await?;
    allow(
        &caller,
        &Permission::PersonCalendar { person: &person },
        true,
    )?;
    if !state
        .catalog()
        .teams
        .iter()
        .flat_map(|t| &t.members)
        .any(|m| m.id == person)
    {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("no member `{person}`"),
            true,
        ));
    }
    feed(&state, View::PersonCalendar { person }).await
}

/// The caller of a feed: the token of `?token=` when there is one (how calendar
/// applications subscribe), else whoever the request authenticated as.
async fn feed_caller(
    state: &Arc<State>,
    caller: Caller,
    query: TokenQuery,
) -> Result<Caller, Failure> {
    match query.token.filter(|t| !t.is_empty()) {
        Some(token) => {
            let directory = state.directory.clone();
            let principal = state
                .work(move || directory.token(&token, jiff::Timestamp::now()))
                .await
                .map_err(|busy| Failure::new(StatusCode::SERVICE_UNAVAILABLE, busy, true))?
                .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string(), true))?;
            Ok(Caller {
                refused: principal.is_none(),
                principal,
                session: None,
            })
        }
        None => Ok(caller),
    }
}

/// A calendar feed's answer: the iCalendar text of `view`.
async fn feed(state: &Arc<State>, view_of: View) -> Result<Response, Failure> {
    let text = view(state, view_of)
        .await
        .map_err(|e| Failure::engine(&e, true))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/calendar; charset=utf-8"),
        )],
        text,
    )
        .into_response())
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(Shared(state): Shared<Arc<State>>) -> Response {
    let shared = state.clone();
    let reason = match state.work(move || shared.engine.ready()).await {
        Ok(Ok(())) => return "ready: catalog loaded, journal reachable\n".into_response(),
        Ok(Err(reason)) => format!("the journal is out of reach: {reason}"),
        Err(busy) => busy,
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, HeaderValue::from_static("5"))],
        format!("not ready: {reason}\n"),
    )
        .into_response()
}

async fn metrics(
    Shared(state): Shared<Arc<State>>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, Failure> {
    allow(&caller, &Permission::Metrics, true)?;
    let counts = match view(
        &state,
        View::Due {
            date: None,
            team: None,
        },
    )
    .await
    {
        Ok(bytes) => counts(&state, &bytes),
        // Without the journal, no counts rather than no metrics.
        Err(_) => Vec::new(),
    };
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        state.metrics.render(&counts),
    )
        .into_response())
}

/// Today's due, open and overdue occurrences per team, from `due`'s JSON.
fn counts(state: &State, due: &[u8]) -> Vec<(String, i64, i64, i64)> {
    let items: Vec<Value> = serde_json::from_slice(due).unwrap_or_default();
    state
        .catalog()
        .teams
        .iter()
        .map(|team| {
            let mine = items
                .iter()
                .filter(|item| super::pages::of_team(item, &team.id));
            let (mut due, mut open, mut overdue) = (0, 0, 0);
            for item in mine {
                due += 1;
                match item["status"].as_str() {
                    Some("open") => open += 1,
                    Some("overdue") => overdue += 1,
                    _ => {}
                }
            }
            (team.id.clone(), due, open, overdue)
        })
        .collect()
}

async fn css() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        super::headers::CSS,
    )
        .into_response()
}

/// No icon, said without an error: browsers ask for `/favicon.ico` on every page, and a 404
/// there is an error in the console.
async fn favicon() -> Response {
    (
        StatusCode::NO_CONTENT,
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        )],
    )
        .into_response()
}

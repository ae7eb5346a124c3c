//! The simulated server's read routes: `GET /v1/videos` (the account's listing, paged and
//! filtered, with the churn run after each page), `GET /v1/videos/{id}` and
//! `GET /v1/videos/{id}/status`. Each goes through the same gateway as a DELETE (one key,
//! one allowance, the same faults); this file owns the query's checks and the bodies.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use super::config::RouteOff;
use super::library::{ListQuery, Lookup};
use super::responses::ApiError;
use super::routes::{Answer, SimState, lock, parse_id, through_gateway, video_not_found};
use super::video::{SimClock, SimVideo};
use crate::api::{GenerationState, VideoId};

/// The most videos one page may ask for; more is a 400 (the API's pages say 1 to 100 and do
/// not say what more does: a strict server finds a client that asks for more).
const MAX_PAGE: usize = 100;
/// A page's size when the request names none.
const DEFAULT_PAGE: usize = 20;

pub(super) async fn list_videos(
    State(state): State<Arc<SimState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let in_flight = state.stats.begin_read(&path_and_query(&uri));
    let route = |request_id: &str| {
        let query = parse_query(uri.query()).map_err(Answer::Error)?;
        Ok(state.success.render(list(&state, &query), request_id))
    };
    through_gateway(
        &state,
        in_flight,
        &headers,
        &method,
        &uri,
        state.list_off,
        route,
    )
    .await
}

pub(super) async fn video_details(
    State(state): State<Arc<SimState>>,
    Path(raw_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let request = (&method, &uri, &headers);
    read_video(&state, &raw_id, request, None, SimVideo::listing_json).await
}

pub(super) async fn video_status(
    State(state): State<Arc<SimState>>,
    Path(raw_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let request = (&method, &uri, &headers);
    read_video(
        &state,
        &raw_id,
        request,
        state.status_off,
        SimVideo::status_json,
    )
    .await
}

/// How one video is shown at a moment.
type Render = fn(&SimVideo, Instant, &SimClock) -> Value;

/// A GET of one video (`off`: its route switched off), answered with `render` of it.
async fn read_video(
    state: &SimState,
    raw_id: &str,
    (method, uri, headers): (&Method, &Uri, &HeaderMap),
    off: Option<RouteOff>,
    render: Render,
) -> Response {
    let in_flight = state.stats.begin_read(&path_and_query(uri));
    let route = |request_id: &str| {
        let body = with_video(state, raw_id, render)?;
        Ok(state.success.render(body, request_id))
    };
    through_gateway(state, in_flight, headers, method, uri, off, route).await
}

/// The page as JSON (`videos`, `total`, `limit`, `offset`); then the churn, if any, changes
/// the account before the next request.
fn list(state: &SimState, query: &ListQuery) -> Value {
    let now = Instant::now();
    let mut library = lock(&state.library);
    let (page, total) = library.page(query, now, &state.clock);
    let videos: Vec<Value> = page
        .iter()
        .map(|video| video.listing_json(now, &state.clock))
        .collect();
    let listed: Vec<VideoId> = page.iter().map(|video| video.id).collect();
    if let Some(churn) = &state.churn {
        let churned = lock(churn).after_page(&listed, &mut library, now, &state.clock);
        state.stats.churned(&churned.deleted, &churned.created);
    }
    json!({
        "videos": videos,
        "total": total,
        "limit": query.limit,
        "offset": query.offset,
    })
}

/// `render` of the account's video `raw_id`; the API's 400, 403 or 404 otherwise.
fn with_video(state: &SimState, raw_id: &str, render: Render) -> Result<Value, Answer> {
    let id = parse_id(raw_id)?;
    match lock(&state.library).lookup(id) {
        Lookup::Ours(video) => Ok(render(video, Instant::now(), &state.clock)),
        Lookup::OtherAccount => Err(Answer::Error(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "You do not have permission to view this video",
        ))),
        Lookup::Unknown => Err(video_not_found()),
    }
}

/// `limit` (1 to `MAX_PAGE`, default `DEFAULT_PAGE`), `offset` (default 0) and `status`;
/// a value that is not one, or a parameter given twice, is the API's 400. Other parameters
/// are ignored.
fn parse_query(query: Option<&str>) -> Result<ListQuery, ApiError> {
    let invalid =
        |message: String| ApiError::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETER", message);
    let (mut limit, mut offset, mut status) = (None, None, None);
    for pair in query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match name {
            "limit" => &mut limit,
            "offset" => &mut offset,
            "status" => &mut status,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(invalid(format!("{name} is given more than once")));
        }
    }
    let limit = match limit {
        None => DEFAULT_PAGE,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=MAX_PAGE).contains(limit))
            .ok_or_else(|| {
                invalid(format!(
                    "limit must be a whole number from 1 to {MAX_PAGE}, not {text:?}"
                ))
            })?,
    };
    let offset = match offset {
        None => 0,
        Some(text) => text.parse::<usize>().map_err(|_| {
            invalid(format!(
                "offset must be a whole number from 0, not {text:?}"
            ))
        })?,
    };
    let status = match status {
        None => None,
        Some(text) => Some(
            text.parse::<GenerationState>()
                .map_err(|error| invalid(format!("status: {error}")))?,
        ),
    };
    Ok(ListQuery {
        offset,
        limit,
        status,
    })
}

fn path_and_query(uri: &Uri) -> String {
    uri.path_and_query()
        .map_or_else(|| uri.path().to_owned(), ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_takes_limit_offset_and_status_and_refuses_what_is_not_them() {
        let parsed = |query| {
            parse_query(query)
                .map(|q| (q.limit, q.offset, q.status))
                .map_err(|error| error.message)
        };
        assert_eq!(parsed(None), Ok((20, 0, None)));
        assert_eq!(
            parsed(Some("limit=100&offset=250&status=failed&x=1")),
            Ok((100, 250, Some(GenerationState::Failed)))
        );
        for (query, why) in [
            ("limit=0", "from 1 to 100"),
            ("limit=101", "from 1 to 100"),
            ("limit=ten", "from 1 to 100"),
            ("offset=-1", "offset must be"),
            ("status=done", "not a generation state"),
            ("limit=5&limit=6", "more than once"),
        ] {
            let message = parsed(Some(query)).unwrap_err();
            assert!(message.contains(why), "{query}: {message}");
        }
    }
}

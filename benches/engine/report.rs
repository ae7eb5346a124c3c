//! The Markdown table rows: a scenario's figures as ranges over its runs, beside the sample's,
//! and whether its target was met.

use super::runs::{EngineRun, SampleRun};
use std::time::Duration;

use super::scenarios::{Limit, Scenario, Target};
use elytron_tui::sim::Refusal;

/// One scenario's table row over all its runs.
pub(crate) fn row(scenario: &Scenario, runs: &[EngineRun], samples: &[SampleRun]) -> String {
    let walls: Vec<f64> = runs.iter().map(|run| run.wall.as_secs_f64()).collect();
    let ideal = scenario.ideal();
    let shares: Vec<f64> = ideal
        .map(|ideal| walls.iter().map(|wall| ideal / wall).collect())
        .unwrap_or_default();
    // What the limit refused: 429s, and a proxy limiter's 503s.
    let refused = |run: &EngineRun| {
        let proxy = scenario.refusal == Refusal::Proxy503;
        run.stats.count(429) + if proxy { run.stats.count(503) } else { 0 }
    };
    let throttled: Vec<f64> = runs.iter().map(|run| refused(run) as f64).collect();
    let throttled_share: Vec<f64> = runs
        .iter()
        .map(|run| refused(run) as f64 / run.stats.requests.max(1) as f64)
        .collect();
    let window = match scenario.limit {
        Limit::Window { secs, .. } => Some(Duration::from_secs(secs)),
        _ => None,
    };
    let into_closed: Vec<Option<(u64, u64)>> = runs
        .iter()
        .map(|run| window.and_then(|window| run.sent_into_known_closed_windows(window)))
        .collect();
    let peaks: Vec<f64> = runs
        .iter()
        .map(|run| run.stats.peak_in_flight as f64)
        .collect();
    let deleted: Vec<f64> = runs.iter().map(|run| run.deleted() as f64).collect();
    let sample_walls: Vec<f64> = samples.iter().map(|s| s.report.secs).collect();
    let sample_deleted: Vec<f64> = samples
        .iter()
        .map(|s| s.stats.deleted.len() as f64)
        .collect();
    let sample_claimed: Vec<f64> = samples
        .iter()
        .map(|s| s.report.reported_success as f64)
        .collect();
    let all_deleted = deleted.iter().all(|d| *d as usize == scenario.videos);
    let met = all_deleted
        && match scenario.target {
            Target::OfLimit {
                share,
                max_429_share,
                max_into_closed,
                max_into_one_closed,
            } => {
                let within = |max: Option<u64>, of: fn((u64, u64)) -> u64, bound: u64| {
                    max.is_none_or(|max| {
                        into_closed
                            .iter()
                            .all(|n| n.is_some_and(|n| of(n) < max + bound))
                    })
                };
                shares.iter().all(|s| *s >= share)
                    && max_429_share.is_none_or(|max| throttled_share.iter().all(|s| *s <= max))
                    && within(max_into_closed, |(all, _)| all, 0)
                    && within(max_into_one_closed, |(_, most)| most, 1)
            }
            Target::VsSample { factor } => {
                !samples.is_empty()
                    && walls
                        .iter()
                        .zip(&sample_walls)
                        .all(|(wall, sample)| *wall <= factor * sample)
            }
        };
    let target = match scenario.target {
        Target::OfLimit {
            share,
            max_429_share,
            max_into_closed,
            max_into_one_closed,
        } => {
            let mut text = format!(">= {share}");
            if let Some(max) = max_429_share {
                text.push_str(&format!(", <= {:.0}% 429s", max * 100.0));
            }
            if let Some(max) = max_into_closed {
                text.push_str(&format!(", < {max} into a closed window"));
            }
            if let Some(max) = max_into_one_closed {
                text.push_str(&format!(", <= {max} into any one closed window"));
            }
            text
        }
        Target::VsSample { factor } => format!("<= {factor} x sample"),
    };
    let mut throttled_text = format!(
        "{} ({})",
        range(&throttled, 0),
        percent_range(&throttled_share)
    );
    if window.is_some() {
        let known: Vec<(u64, u64)> = into_closed.iter().flatten().copied().collect();
        let text = if known.len() == into_closed.len() {
            let all: Vec<f64> = known.iter().map(|(all, _)| *all as f64).collect();
            let most: Vec<f64> = known.iter().map(|(_, most)| *most as f64).collect();
            format!("{} (at most {} in one)", range(&all, 0), range(&most, 0))
        } else {
            "unknown".to_owned()
        };
        throttled_text.push_str(&format!("; {text} sent into a window known closed"));
    }
    format!(
        "| {} | {} | {} | {} | {throttled_text} | {} | {} of {} | {} | {} ({}) | {target}: {} |",
        scenario.name,
        range(&walls, 2),
        ideal.map_or("".to_owned(), |ideal| format!("{ideal:.1}")),
        if shares.is_empty() {
            "".to_owned()
        } else {
            range(&shares, 2)
        },
        range(&peaks, 0),
        range(&deleted, 0),
        scenario.videos,
        range(&sample_walls, 2),
        range(&sample_deleted, 0),
        range(&sample_claimed, 0),
        if met { "met" } else { "MISSED" },
    )
}

/// `1.23` or `1.23 to 1.50`; empty for no values.
pub(crate) fn range(values: &[f64], decimals: usize) -> String {
    let min = values.iter().copied().reduce(f64::min);
    let max = values.iter().copied().reduce(f64::max);
    match (min, max) {
        (Some(min), Some(max)) if format!("{min:.decimals$}") == format!("{max:.decimals$}") => {
            format!("{min:.decimals$}")
        }
        (Some(min), Some(max)) => format!("{min:.decimals$} to {max:.decimals$}"),
        _ => String::new(),
    }
}

pub(crate) fn percent_range(shares: &[f64]) -> String {
    let percents: Vec<f64> = shares.iter().map(|share| share * 100.0).collect();
    format!("{}%", range(&percents, 1))
}

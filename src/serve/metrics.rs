//! `/metrics`: the Prometheus text format through `prometheus-client`, per process.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;

/// Latency buckets from 0.5 ms to about 4 s.
#[derive(Clone)]
struct Buckets;

impl MetricConstructor<Histogram> for Buckets {
    fn new_metric(&self) -> Histogram {
        Histogram::new(exponential_buckets(0.0005, 2.0, 14))
    }
}

/// The server's metrics.
pub(super) struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, Buckets>,
    records: Family<Labels, Counter>,
    occurrences: Family<Labels, Gauge>,
}

impl Metrics {
    pub(super) fn new() -> Self {
        let mut registry = Registry::with_prefix("socctl");
        let requests = Family::<Labels, Counter>::default();
        let latency = Family::<Labels, Histogram, Buckets>::new_with_constructor(Buckets);
        let records = Family::<Labels, Counter>::default();
        let occurrences = Family::<Labels, Gauge>::default();
        let build = Family::<Labels, Gauge>::default();
        build
            .get_or_create(&vec![("version", env!("CARGO_PKG_VERSION").to_owned())])
            .set(1);
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests, by route",
            latency.clone(),
        );
        registry.register(
            "records_written",
            "Journal records written through the board, by action",
            records.clone(),
        );
        registry.register(
            "occurrences",
            "Today's occurrences per team: due (on the board), open and overdue",
            occurrences.clone(),
        );
        registry.register("build_info", "The socctl version serving", build);
        Self {
            registry,
            requests,
            latency,
            records,
            occurrences,
        }
    }

    /// Counts a request answered.
    pub(super) fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&vec![
                ("route", route.to_owned()),
                ("method", method.to_owned()),
                ("status", status.to_string()),
            ])
            .inc();
        self.latency
            .get_or_create(&vec![("route", route.to_owned())])
            .observe(seconds);
    }

    /// Counts a record written.
    pub(super) fn recorded(&self, action: &str) {
        self.records
            .get_or_create(&vec![("action", action.to_owned())])
            .inc();
    }

    /// The text exposition, with today's counts per team (`(team, due, open, overdue)`).
    pub(super) fn render(&self, counts: &[(String, i64, i64, i64)]) -> String {
        self.occurrences.clear();
        for (team, due, open, overdue) in counts {
            for (state, value) in [("due", due), ("open", open), ("overdue", overdue)] {
                self.occurrences
                    .get_or_create(&vec![("team", team.clone()), ("state", state.to_owned())])
                    .set(*value);
            }
        }
        let mut out = String::new();
        let _ = encode(&mut out, &self.registry);
        out
    }
}

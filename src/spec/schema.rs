//! The schema: what `steepest spec --schema` prints and the page builds its controls from.

use super::model::AUTO_DEFAULTS;
use super::params::{range_text, PARAMS};
use super::{MAX_D, MAX_METHODS, MAX_NETWORK_PARAMS, MAX_STEPS, SPEC_VERSION};
use crate::norm::Layout;
use crate::optimizer::METHODS;

/// The schema: every parameter with type, range (also as text), default (or the rule of an `auto`
/// one), label, step and help, every method with its own
/// hyperparameter defaults, the groups, and the page's views and query keys (what
/// `steepest spec --schema` prints and what the page builds its controls and views from).
pub fn schema() -> serde_json::Value {
    let methods: Vec<serde_json::Value> = METHODS
        .iter()
        .map(|m| {
            let defaults: serde_json::Map<String, serde_json::Value> =
                m.hyper.iter().map(|(h, v)| (h.id().to_string(), (*v).into())).collect();
            // A norm's name does not depend on the layout it is cut by.
            let norm = m.theory_norm(&m.defaults(), &Layout::default()).map(|n| n.name());
            serde_json::json!({ "id": m.id, "name": m.display_name(&m.defaults()), "theory_norm": norm, "defaults": defaults })
        })
        .collect();
    // Each parameter with its range as people read it ("1 to 2000").
    let params: Vec<serde_json::Value> = PARAMS
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).expect("a parameter serialises");
            v["range"] = range_text(&p.kind).into();
            if let Some(auto) = AUTO_DEFAULTS.iter().find(|a| a.name == p.name) {
                v["auto"] = auto.rule.into();
            }
            v
        })
        .collect();
    serde_json::json!({
        "version": SPEC_VERSION,
        "limits": {
            "max_d": MAX_D, "max_network_params": MAX_NETWORK_PARAMS, "max_steps": MAX_STEPS, "max_methods": MAX_METHODS,
            "url_matrix_max": super::url::URL_MATRIX_MAX,
        },
        "params": params,
        "methods": methods,
        "groups": super::params::GROUPS,
        "page": { "keys": super::url::PAGE_KEYS, "views": super::url::PAGE_VIEWS, "options": super::url::PAGE_OPTIONS },
    })
}

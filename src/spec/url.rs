//! The spec in a URL query, and back.
//!
//! A link holds only what differs from the defaults, and `v`, the spec version: the link of the
//! default spec is `v=1`, and a field left out takes its default when read. So a default must not
//! change within a spec version, or old links would change their numbers. Keys: `v`; the
//! problem's and the run's fields by their own names (`d`, `rotation`, `steps`, ...; the problem
//! kind is `problem`), the sweep's and the Hessian analysis's as `sweep.{field}` and
//! `analysis.{field}` (the old `hessian.{field}` is still read, with a notice that it is
//! deprecated); method i as `m{i}` (its kind) and `m{i}.{field}`, written for every method when
//! the methods differ from the default ones. Lists are comma-separated (`x0=1,-2`), matrix rows
//! semicolon-separated (`matrix=2,1;1,2`); a matrix above `URL_MATRIX_MAX` rows is left out (the
//! spec file carries it).
//!
//! Decoding never fails: an unknown key, or a value of the wrong type or out of range, becomes
//! an issue naming the key, the value and the allowed range, and only that field keeps its
//! default; so does a key given twice (the last value counts) and a gap in the methods' numbers.
//! Keys the page owns (`PAGE_KEYS`) are left to it. The command line's `--set KEY=VALUE` takes
//! the same keys over a spec of its own (`apply_pairs`).

use super::params::{allowed, Kind, PARAMS};
use super::{escape_controls, MethodSpec, Spec, MAX_METHODS};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Query keys that belong to the page (layout, embedding), not to the spec, in the order the page
/// writes them after the spec's.
pub const PAGE_KEYS: &[&str] = &["preset", "view", "embed", "plot", "theme", "controls", "caption"];

/// A page key with a fixed set of values: how an embedded figure looks. Decoding a link checks
/// them, so a bad value is named like a bad spec value.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PageOption {
    pub key: &'static str,
    /// The allowed values; the first is the default.
    pub values: &'static [&'static str],
    pub help: &'static str,
}

/// The embed's options (`?embed=1&plot=ID&theme=dark&controls=compact&caption=0`).
pub const PAGE_OPTIONS: &[PageOption] = &[
    PageOption {
        key: "theme",
        values: &["auto", "light", "dark"],
        help: "colours: the reader's system setting, or always light or dark",
    },
    PageOption {
        key: "controls",
        values: &["none", "compact"],
        help: "an embed's controls: none, or the two or three that matter for its figure",
    },
    PageOption { key: "caption", values: &["1", "0"], help: "show the figure's caption (1) or not (0)" },
];

/// The most rows of a matrix a link carries: a 30 x 30 matrix is about 2 KB of query already.
pub const URL_MATRIX_MAX: usize = 30;

/// A view of the page: its id (the value of `view`) and the parameter groups whose controls it
/// shows, the groups its computation reads.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PageView {
    pub id: &'static str,
    pub groups: &'static [&'static str],
    /// Parameters of those groups that the view's computation sets itself, so that their controls
    /// would change nothing there; the page disables them, with `overrides_note` as the reason.
    pub overrides: &'static [&'static str],
    pub overrides_note: &'static str,
}

/// The page's views in tab order; the first is the default, which the URL omits. The sweep runs
/// its own GD and sign GD, so it has no methods.
pub const PAGE_VIEWS: &[PageView] = &[
    PageView { id: "runs", groups: &["problem", "methods", "run"], overrides: &[], overrides_note: "" },
    PageView {
        id: "sweep",
        groups: &["problem", "run", "sweep"],
        overrides: &["problem.rotation", "problem.lambda_max", "run.tune_min", "run.tune_max", "run.tune_points"],
        overrides_note: "set by each cell of the sweep map (its grid and sweep.tune_*)",
    },
    PageView { id: "geometry2d", groups: &["problem", "methods", "run"], overrides: &[], overrides_note: "" },
    PageView { id: "hessian", groups: &["problem", "methods", "run", "analysis"], overrides: &[], overrides_note: "" },
];

/// A query parameter that could not be used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UrlIssue {
    pub param: String,
    pub value: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decoded {
    pub spec: Spec,
    pub issues: Vec<UrlIssue>,
}

/// Where a table parameter lives in the spec's JSON.
enum Slot {
    Top(&'static str),
    Problem(&'static str),
    Run(&'static str),
    /// A group written with its prefix (`sweep.points`, `analysis.step`): group, field.
    Prefixed(&'static str, &'static str),
    Method(&'static str),
}

/// Groups whose URL keys carry the group's name.
const PREFIXED: &[&str] = &["sweep", "analysis"];

/// The old prefix of the `analysis.*` keys, still read and reported as deprecated.
const DEPRECATED_PREFIX: &str = "hessian.";

fn slot(name: &'static str) -> Slot {
    if let Some(f) = name.strip_prefix("problem.") {
        Slot::Problem(f)
    } else if let Some(f) = name.strip_prefix("run.") {
        Slot::Run(f)
    } else if let Some((g, f)) = name.split_once('.').filter(|(g, _)| PREFIXED.contains(g)) {
        Slot::Prefixed(g, f)
    } else if let Some(f) = name.strip_prefix("methods[].") {
        Slot::Method(f)
    } else {
        Slot::Top(name)
    }
}

/// The URL key of a non-method parameter.
fn key(name: &'static str) -> String {
    match slot(name) {
        Slot::Top("version") => "v".into(),
        Slot::Problem("kind") => "problem".into(),
        Slot::Prefixed(g, f) => format!("{g}.{f}"),
        Slot::Problem(f) | Slot::Run(f) | Slot::Top(f) => f.into(),
        Slot::Method(_) => unreachable!("method keys carry an index"),
    }
}

fn method_key(i: usize, field: &str) -> String {
    if field == "kind" {
        format!("m{i}")
    } else {
        format!("m{i}.{field}")
    }
}

/// The value of a non-method parameter in a spec's JSON.
fn at<'a>(json: &'a Value, name: &'static str) -> Option<&'a Value> {
    match slot(name) {
        Slot::Top(f) => json.get(f),
        Slot::Problem(f) => json["problem"].get(f),
        Slot::Run(f) => json["run"].get(f),
        Slot::Prefixed(g, f) => json[g].get(f),
        Slot::Method(_) => None,
    }
}

/// The query string of a spec (without the leading `?`): `v`, and each field that differs from
/// its default; the methods, when they differ from the default ones, each with its kind and the
/// fields that differ from a default method's. A matrix above `URL_MATRIX_MAX` rows is left out.
pub fn to_query(spec: &Spec) -> String {
    let json = serde_json::to_value(spec).expect("a spec serialises");
    let defaults = serde_json::to_value(Spec::default()).expect("a spec serialises");
    let mut pairs: Vec<(String, String)> = Vec::new();
    for p in PARAMS {
        let Some(v) = at(&json, p.name).filter(|v| !v.is_null()) else { continue };
        let too_big =
            matches!(p.kind, Kind::Matrix { .. }) && v.as_array().is_some_and(|rows| rows.len() > URL_MATRIX_MAX);
        if p.name == "version" || (at(&defaults, p.name) != Some(v) && !too_big) {
            pairs.push((key(p.name), format_value(v)));
        }
    }
    if json["methods"] != defaults["methods"] {
        let default_method = serde_json::to_value(MethodSpec::default()).expect("serialises");
        for (i, m) in json["methods"].as_array().into_iter().flatten().enumerate() {
            for p in PARAMS {
                if let Slot::Method(f) = slot(p.name) {
                    let v = m.get(f).filter(|v| !v.is_null());
                    if let Some(v) = v.filter(|v| f == "kind" || default_method.get(f) != Some(v)) {
                        pairs.push((method_key(i, f), format_value(v)));
                    }
                }
            }
        }
    }
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

fn format_value(v: &Value) -> String {
    match v {
        Value::Number(n) => match n.as_u64() {
            Some(u) => u.to_string(),
            None => format_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) if items.iter().all(Value::is_array) => {
            items.iter().map(format_value).collect::<Vec<_>>().join(";")
        }
        Value::Array(items) => items.iter().map(format_value).collect::<Vec<_>>().join(","),
        _ => String::new(),
    }
}

/// Shortest round-trip form, with an exponent for very small or large magnitudes.
fn format_float(x: f64) -> String {
    if x != 0.0 && (x.abs() < 1e-4 || x.abs() >= 1e15) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Decodes a query string (with or without the leading `?`). The issues echo keys and values
/// with their control characters escaped (`escape_controls`).
pub fn from_query(query: &str) -> Decoded {
    let Decoded { spec, issues } = decode_query(query);
    Decoded { spec, issues: escaped(issues) }
}

/// Issues as they may be shown: every field with its control characters escaped.
fn escaped(issues: Vec<UrlIssue>) -> Vec<UrlIssue> {
    let shown = |s: String| escape_controls(&s);
    issues
        .into_iter()
        .map(|i| UrlIssue { param: shown(i.param), value: shown(i.value), message: shown(i.message) })
        .collect()
}

fn decode_query(query: &str) -> Decoded {
    let defaults = serde_json::to_value(Spec::default()).expect("a spec serialises");
    let mut json = defaults.clone();
    let all = pairs(query);
    let mut issues = repeated_keys(&all);
    issues.extend(method_gaps(&all));
    issues.extend(page_option_issues(&all));
    let spec_pairs = all.into_iter().filter(|(k, _)| !PAGE_KEYS.contains(&k.as_str()));
    // A link's methods replace the default list.
    issues.extend(set_pairs(&mut json, spec_pairs, Vec::new()));
    let mut issue = |param: &str, value: &str, message: String| {
        issues.push(UrlIssue { param: param.into(), value: value.into(), message });
    };
    // Cross-field rules: reset the field that breaks one to its default, and try again.
    for _ in 0..32 {
        let spec = match Spec::read_unchecked(json.clone()).map(|r| r.spec) {
            Ok(s) => s,
            Err(e) => {
                issue("spec", "", format!("could not be read ({e}); using the defaults"));
                return Decoded { spec: Spec::default(), issues };
            }
        };
        let Err(e) = spec.validate() else { return Decoded { spec, issues } };
        let (url_key, path) = locate(&e.field);
        issue(&url_key, &e.value, format!("{url_key}: {e}; using the default"));
        if !reset(&mut json, &defaults, &path) {
            break;
        }
    }
    issue("spec", "", "the settings do not fit together; using the defaults".into());
    Decoded { spec: Spec::default(), issues }
}

/// Issues for the page options of a query whose values are not allowed (the page uses the
/// option's default for them).
fn page_option_issues(pairs: &[(String, String)]) -> Vec<UrlIssue> {
    pairs
        .iter()
        .filter_map(|(k, v)| {
            let o = PAGE_OPTIONS.iter().find(|o| o.key == k)?;
            (!o.values.contains(&v.as_str())).then(|| UrlIssue {
                message: format!("{k} = {v}: one of {}; using {}", o.values.join(", "), o.values[0]),
                param: k.clone(),
                value: v.clone(),
            })
        })
        .collect()
}

/// The spec `base` with (URL key, value) pairs applied over it: the command line's `--set`, read
/// by the same rules as a link, so the pairs of a link give the link's spec over the defaults. Method
/// keys follow the link: once any method's kind (`m{i}`) is given, the list holds exactly the
/// methods the pairs name; a method named only by its fields (`m{i}.lr`) is the base's method i
/// with those fields changed. Nothing falls back: every unusable pair, page keys included, is an
/// issue, and the result is not yet validated as a whole (`Spec::validate`).
pub fn apply_pairs(base: &Spec, pairs: &[(String, String)]) -> Result<Spec, Vec<UrlIssue>> {
    let mut json = serde_json::to_value(base).expect("a spec serialises");
    let base_methods = json["methods"].as_array().cloned().unwrap_or_default();
    let (page, spec_pairs): (Vec<_>, Vec<_>) =
        pairs.iter().cloned().partition(|(k, _)| PAGE_KEYS.contains(&k.as_str()));
    let mut issues: Vec<UrlIssue> = page
        .into_iter()
        .map(|(k, v)| UrlIssue {
            message: format!("{k} is a setting of the page, not of the spec"),
            param: k,
            value: v,
        })
        .collect();
    issues.extend(set_pairs(&mut json, spec_pairs, base_methods));
    if !issues.is_empty() {
        return Err(escaped(issues));
    }
    Spec::read_unchecked(json).map(|r| r.spec).map_err(|e| {
        escaped(vec![UrlIssue {
            param: "spec".into(),
            value: String::new(),
            message: format!("could not be read ({e})"),
        }])
    })
}

/// Writes each pair into the spec's JSON, range-checked field by field; the issues are the pairs
/// that could not be used. A method given with its kind starts from the default method, one given
/// by its fields alone from `base_methods[i]`; when any kind is given the named methods replace
/// the list, in index order.
fn set_pairs(
    json: &mut Value,
    pairs: impl IntoIterator<Item = (String, String)>,
    base_methods: Vec<Value>,
) -> Vec<UrlIssue> {
    let mut issues = Vec::new();
    let mut methods: BTreeMap<usize, Map<String, Value>> = BTreeMap::new();
    let mut issue = |param: &str, value: &str, message: String| {
        issues.push(UrlIssue { param: param.into(), value: value.into(), message });
    };
    for (k, raw) in pairs {
        let k = match k.strip_prefix(DEPRECATED_PREFIX) {
            Some(field) => {
                let new = format!("analysis.{field}");
                issue(
                    &k,
                    &raw,
                    format!("{k} is deprecated: the Hessian analysis's keys are now analysis.*; read as {new}"),
                );
                new
            }
            None => k,
        };
        let Some((name, target)) = resolve(&k) else {
            issue(&k, &raw, format!("unknown parameter {k}; see the schema for the parameters"));
            continue;
        };
        if let Some(i) = target.filter(|i| *i >= MAX_METHODS) {
            let last = MAX_METHODS - 1;
            issue(&k, &raw, format!("{k}: methods are m0 to m{last} (at most {MAX_METHODS}); m{i} is ignored"));
            continue;
        }
        let p = super::param(name);
        match parse_value(&p.kind, &raw) {
            Err(why) => issue(&k, &raw, format!("{k} = {raw}: {why}; {}", allowed(name))),
            Ok(v) => match (slot(name), target) {
                (Slot::Method(f), Some(i)) => {
                    methods.entry(i).or_default().insert(f.into(), v);
                }
                (Slot::Problem(f), _) => json["problem"][f] = v,
                (Slot::Run(f), _) => json["run"][f] = v,
                (Slot::Prefixed(g, f), _) => json[g][f] = v,
                (Slot::Top(f), _) => json[f] = v,
                (Slot::Method(_), None) => unreachable!("method keys resolve with an index"),
            },
        }
    }
    if !methods.is_empty() {
        let default_method = serde_json::to_value(MethodSpec::default()).expect("serialises");
        let restart = methods.values().any(|fields| fields.contains_key("kind"));
        let mut list = if restart { Vec::new() } else { base_methods.clone() };
        for (i, fields) in methods {
            let mut m = if fields.contains_key("kind") {
                default_method.clone()
            } else if let Some(m) = base_methods.get(i) {
                m.clone()
            } else {
                let k = format!("m{i}");
                issue(&k, "", format!("settings of method {i} were given without {k}, its kind; they are ignored"));
                continue;
            };
            for (f, v) in fields {
                m[f.as_str()] = v;
            }
            if !restart {
                list[i] = m;
            } else if list.len() == MAX_METHODS {
                issue(&format!("m{i}"), "", format!("at most {MAX_METHODS} methods; this one is ignored"));
            } else {
                list.push(m);
            }
        }
        if !list.is_empty() {
            json["methods"] = Value::Array(list);
        }
    }
    issues
}

/// An issue for each key given more than once (page keys too): the last value is the one read.
fn repeated_keys(pairs: &[(String, String)]) -> Vec<UrlIssue> {
    let mut seen: Vec<(&str, Vec<&str>)> = Vec::new();
    for (k, v) in pairs {
        match seen.iter_mut().find(|(s, _)| s == k) {
            Some((_, values)) => values.push(v),
            None => seen.push((k, vec![v])),
        }
    }
    seen.into_iter()
        .filter(|(_, values)| values.len() > 1)
        .map(|(k, values)| {
            let last = values[values.len() - 1];
            UrlIssue {
                param: k.into(),
                value: last.into(),
                message: format!(
                    "{k} is given {} times ({}); the last, {k}={last}, is used",
                    values.len(),
                    values.join(", ")
                ),
            }
        })
        .collect()
}

/// An issue when the methods of a link (`m{i}`, below `MAX_METHODS`) are not numbered m0, m1, ...
/// without gaps: they are read in order, and the issue names the missing numbers.
fn method_gaps(pairs: &[(String, String)]) -> Vec<UrlIssue> {
    let mut given: Vec<usize> = pairs
        .iter()
        .filter_map(|(k, _)| k.strip_prefix('m')?.parse::<usize>().ok())
        .filter(|i| *i < MAX_METHODS)
        .collect();
    given.sort_unstable();
    given.dedup();
    let Some(&last) = given.last() else { return Vec::new() };
    let missing: Vec<String> = (0..last).filter(|i| !given.contains(i)).map(|i| format!("m{i}")).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let first = format!("m{}", given[0]);
    vec![UrlIssue {
        param: first.clone(),
        value: String::new(),
        message: format!(
            "{} missing: methods are numbered from m0 without gaps; the {} given are read in order ({first} as the first)",
            if missing.len() == 1 { format!("{} is", missing[0]) } else { format!("{} are", missing.join(", ")) },
            given.len()
        ),
    }]
}

/// (table name, method index) of a URL key.
fn resolve(k: &str) -> Option<(&'static str, Option<usize>)> {
    if let Some(rest) = k.strip_prefix('m') {
        let (index, field) = match rest.split_once('.') {
            Some((i, f)) => (i, f),
            None => (rest, "kind"),
        };
        if let Ok(i) = index.parse::<usize>() {
            return PARAMS
                .iter()
                .find(|p| matches!(slot(p.name), Slot::Method(f) if f == field))
                .map(|p| (p.name, Some(i)));
        }
    }
    PARAMS.iter().find(|p| !matches!(slot(p.name), Slot::Method(_)) && key(p.name) == k).map(|p| (p.name, None))
}

/// Parses and range-checks a raw value for a parameter of kind `kind`.
fn parse_value(kind: &Kind, raw: &str) -> Result<Value, String> {
    let number = |s: &str| -> Result<f64, String> {
        s.trim().parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| format!("{s:?} is not a finite number"))
    };
    match *kind {
        Kind::Integer { min, max, .. } => {
            let v: u64 = raw.trim().parse().map_err(|_| format!("{raw:?} is not a whole number"))?;
            if (min..=max).contains(&v) {
                Ok(Value::from(v))
            } else {
                Err("out of range".into())
            }
        }
        Kind::Float { min, max, min_exclusive, max_exclusive, .. } => {
            let v = number(raw)?;
            let above = if min_exclusive { v > min } else { v >= min };
            let below = if max_exclusive { v < max } else { v <= max };
            if above && below {
                Ok(Value::from(v))
            } else {
                Err("out of range".into())
            }
        }
        Kind::Choice { choices, .. } => {
            if choices.contains(&raw) {
                Ok(Value::from(raw))
            } else {
                Err("not one of the choices".into())
            }
        }
        Kind::Boolean { .. } => match raw {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err("not true or false".into()),
        },
        Kind::Vector => {
            raw.split(',').map(|s| number(s).map(Value::from)).collect::<Result<Vec<_>, _>>().map(Value::Array)
        }
        Kind::Matrix { .. } => raw
            .split(';')
            .map(|row| {
                row.split(',').map(|s| number(s).map(Value::from)).collect::<Result<Vec<_>, _>>().map(Value::Array)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Kind::Text => Ok(Value::from(raw)),
    }
}

/// (URL key, JSON path) of a SpecError field such as `problem.lambda_min`, `methods[1].rule`,
/// `problem.x0[3]` or `methods`.
fn locate(field: &str) -> (String, Vec<String>) {
    // Drop an element index such as x0[3]; a method index is handled below.
    let field = if field.starts_with("methods[") { field } else { field.split('[').next().unwrap_or(field) };
    if let Some(rest) = field.strip_prefix("methods[") {
        if let Some((i, f)) = rest.split_once("].") {
            if let Ok(i) = i.parse::<usize>() {
                return (method_key(i, f), vec!["methods".into(), i.to_string(), f.into()]);
            }
        }
    }
    match field.split_once('.') {
        Some(("problem", "kind")) => ("problem".into(), vec!["problem".into(), "kind".into()]),
        Some((g, f)) if PREFIXED.contains(&g) => (format!("{g}.{f}"), vec![g.into(), f.into()]),
        Some((group, f)) => (f.into(), vec![group.into(), f.into()]),
        None if field == "methods" => ("m0".into(), vec!["methods".into()]),
        None => (if field == "version" { "v".into() } else { field.into() }, vec![field.into()]),
    }
}

/// Sets `path` in `json` back to its default; false when nothing changed (no progress).
fn reset(json: &mut Value, defaults: &Value, path: &[String]) -> bool {
    let default_method = serde_json::to_value(MethodSpec::default()).expect("serialises");
    let default = match path {
        [m, _, f] if m == "methods" => default_method.get(f.as_str()).cloned().unwrap_or(Value::Null),
        _ => path.iter().try_fold(defaults, |v, k| v.get(k.as_str())).cloned().unwrap_or(Value::Null),
    };
    let mut target = &mut *json;
    for k in path {
        target = match target {
            Value::Array(items) => match k.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(t) => t,
                None => return false,
            },
            Value::Object(map) => map.entry(k.clone()).or_insert(Value::Null),
            _ => return false,
        };
    }
    if *target == default {
        return false;
    }
    *target = default;
    true
}

/// Splits and percent-decodes `a=1&b=2`.
fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(kv), String::new()),
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-encodes all but unreserved characters and the list separators , ; which stay
/// readable.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b';' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::optimizer::method::{ADAM, GD, LION, SIGN_GD};
    use crate::spec::{ProblemKind, Rule};

    #[test]
    fn round_trips_specs() {
        let mut s = Spec::default();
        s.problem.rotation = 0.35;
        s.problem.seed = 123456789;
        s.problem.x0 = Some(vec![1.5, -2e-7]);
        s.problem.d = 2;
        s.run.target = 1e-9;
        s.methods = vec![
            MethodSpec {
                lr: Some(0.003),
                tune: true,
                label: Some("my Adam & co = 100%".into()),
                ..MethodSpec::of(&ADAM)
            },
            MethodSpec { rule: Rule::Const, ..MethodSpec::of(&SIGN_GD) },
        ];
        let q = to_query(&s);
        let back = from_query(&q);
        assert_eq!(back.issues, vec![]);
        assert_eq!(back.spec, s);
        assert_eq!(from_query(&to_query(&Spec::default())).spec, Spec::default());

        let mut m = Spec::default();
        m.problem.kind = ProblemKind::Matrix;
        m.problem.matrix = Some(vec![vec![2.0, 0.5], vec![0.5, 1.0]]);
        let q = to_query(&m);
        assert!(q.contains("matrix=2,0.5;0.5,1"), "{q}");
        assert_eq!(from_query(&q).spec, m);
    }

    #[test]
    fn bad_parameters_are_named_and_only_they_fall_back() {
        let d = from_query("?d=5000&rotation=0.5&bogus=1&m0=gd&m0.lr=-3&m1=adam&steps=ten");
        let params: Vec<&str> = d.issues.iter().map(|i| i.param.as_str()).collect();
        assert_eq!(params, vec!["d", "bogus", "m0.lr", "steps"]);
        assert!(d.issues[0].message.contains("1 to 2000"), "{}", d.issues[0].message);
        assert_eq!(d.spec.problem.d, Spec::default().problem.d);
        assert_eq!(d.spec.problem.rotation, 0.5);
        assert_eq!(d.spec.methods.len(), 2);
        assert_eq!(d.spec.methods[0].lr, None);
        assert_eq!(d.spec.run.steps, Spec::default().run.steps);
    }

    #[test]
    fn issues_echo_control_characters_escaped() {
        // Fuzz reproducers (seed 7): a bidi override in a value, DEL and a backspace in keys and
        // values, an ANSI escape; each issue names it with its escape, never the raw character.
        let d = from_query("d=%E2%80%AE5&%7Fx=1&m0=%08&m0.label=a%1B%5B2J");
        assert_eq!(d.issues.len(), 4, "{:?}", d.issues);
        for i in &d.issues {
            for text in [&i.param, &i.value, &i.message] {
                assert!(!text.chars().any(acts_on_escaped), "{text:?}");
            }
        }
        assert!(d.issues[0].message.contains("\\u{202e}5"), "{}", d.issues[0].message);
        assert_eq!(d.issues[1].param, "\\u{7f}x");
        let issues = apply_pairs(&Spec::default(), &kv(&[("d", "\u{1b}[2J")])).unwrap_err();
        assert!(issues[0].message.contains("\\u{1b}[2J") && issues[0].value == "\\u{1b}[2J", "{issues:?}");
    }

    /// What escape_controls must have removed (the newline may stay).
    fn acts_on_escaped(c: char) -> bool {
        c != '\n' && crate::spec::acts_on_text(c)
    }

    #[test]
    fn cross_field_violations_reset_the_offending_field() {
        // lambda_min above lambda_max: lambda_min falls back to its default (1), which fits.
        let d = from_query("lambda_max=50&lambda_min=80");
        assert_eq!(d.issues.len(), 1);
        assert_eq!(d.issues[0].param, "lambda_min");
        assert_eq!(d.spec.problem.lambda_min, 1.0);
        assert_eq!(d.spec.problem.lambda_max, 50.0);
        // A theory rule on Adam: the rule falls back to auto.
        let d = from_query("m0=adam&m0.rule=theory");
        assert_eq!(d.issues[0].param, "m0.rule");
        assert_eq!(d.spec.methods[0].rule, Rule::Auto);
        // Kind matrix without a matrix: the kind falls back.
        let d = from_query("problem=matrix");
        assert!(!d.issues.is_empty());
        assert!(d.spec.validate().is_ok());
    }

    #[test]
    fn page_views_and_groups_name_real_parameter_groups() {
        use crate::spec::params::GROUPS;
        let titled: Vec<&str> = GROUPS.iter().map(|g| g.name).collect();
        for p in PARAMS.iter().filter(|p| p.group != "meta") {
            assert!(titled.contains(&p.group), "{}: group {} has no title in GROUPS", p.name, p.group);
        }
        for g in GROUPS {
            assert!(PARAMS.iter().any(|p| p.group == g.name), "GROUPS lists {}, which has no parameter", g.name);
        }
        for view in PAGE_VIEWS {
            for g in view.groups {
                assert!(titled.contains(g), "view {}: group {g} is not in GROUPS", view.id);
            }
        }
        assert_eq!(PAGE_VIEWS[0].id, "runs", "the default view comes first");
        for view in PAGE_VIEWS {
            for name in view.overrides {
                let p = PARAMS.iter().find(|p| p.name == *name).expect("an override names a parameter");
                assert!(view.groups.contains(&p.group), "view {}: {name} is not among its controls", view.id);
            }
        }
    }

    #[test]
    fn what_the_sweep_view_overrides_changes_no_cell() {
        let mut s = Spec::default();
        s.problem.d = 8;
        s.run.steps = 200;
        s.sweep.spread_points = 2;
        s.sweep.rotation_points = 2;
        s.sweep.problems = 1;
        s.sweep.tune_points = 3;
        s.sweep.spread_max = Some(3.0);
        let mut changed = s.clone();
        changed.problem.rotation = 0.7;
        changed.problem.lambda_max = 50.0;
        (changed.run.tune_min, changed.run.tune_max, changed.run.tune_points) = (0.01, 1.0, 5);
        // Everything but the echo of the spec itself.
        let sweep = |s: &Spec| {
            let mut v = serde_json::to_value(crate::experiment::run_sweep(s, &mut |_| true).unwrap()).unwrap();
            v.as_object_mut().unwrap().remove("spec").expect("the result echoes its spec");
            v
        };
        assert_eq!(sweep(&changed), sweep(&s));
        let view = PAGE_VIEWS.iter().find(|v| v.id == "sweep").unwrap();
        assert_eq!(view.overrides.len(), 5, "the test changes each override");
    }

    #[test]
    fn page_options_are_page_keys_and_bad_values_are_named() {
        for o in PAGE_OPTIONS {
            assert!(PAGE_KEYS.contains(&o.key), "{} is not a page key", o.key);
        }
        let d = from_query("d=7&theme=dark&controls=compact&caption=0");
        assert_eq!((d.spec.problem.d, d.issues.len()), (7, 0));
        let d = from_query("d=7&theme=blue&caption=2&embed=1");
        assert_eq!(d.spec.problem.d, 7);
        let named: Vec<(&str, &str)> = d.issues.iter().map(|i| (i.param.as_str(), i.message.as_str())).collect();
        assert_eq!(
            named,
            vec![
                ("theme", "theme = blue: one of auto, light, dark; using auto"),
                ("caption", "caption = 2: one of 1, 0; using 1")
            ]
        );
    }

    #[test]
    fn old_analysis_keys_are_read_and_named_deprecated() {
        let d = from_query("steps=30&hessian.step=20&analysis.bins=10");
        assert_eq!((d.spec.analysis.step, d.spec.analysis.bins), (20, 10));
        assert_eq!(d.issues.len(), 1);
        assert_eq!(d.issues[0].param, "hessian.step");
        assert!(d.issues[0].message.contains("deprecated") && d.issues[0].message.contains("analysis.step"));
        assert!(to_query(&d.spec).contains("analysis.step=20"));
    }

    #[test]
    fn hostile_values_stay_data() {
        let d = from_query("m0=gd&m0.label=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&%3Cscript%3E=1");
        assert_eq!(d.spec.methods[0].label.as_deref(), Some("<img src=x onerror=alert(1)>"));
        assert_eq!(d.issues[0].param, "<script>");
        let q = to_query(&d.spec);
        assert!(!q.contains('<') && !q.contains(' '));
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn pairs_over_a_spec_change_only_what_they_name() {
        let mut base = Spec::default();
        base.problem.d = 30;
        base.methods[1].lr = Some(0.25);
        let s = apply_pairs(&base, &kv(&[("rotation", "0.3"), ("m0.lr", "0.5")])).unwrap();
        assert_eq!(s.problem.rotation, 0.3);
        assert_eq!(s.problem.d, 30);
        assert_eq!(s.methods.len(), 2);
        assert_eq!((s.methods[0].kind, s.methods[0].lr), (&GD, Some(0.5)));
        assert_eq!(s.methods[1], base.methods[1]);
        // A kind names the list, as in a link: here one fresh Adam.
        let s = apply_pairs(&base, &kv(&[("m1", "adam"), ("m1.tune", "true")])).unwrap();
        assert_eq!(s.methods, vec![MethodSpec { tune: true, ..MethodSpec::of(&ADAM) }]);
        // Kinds and a base method's field together: the named methods, in index order.
        let s = apply_pairs(&base, &kv(&[("m2", "lion"), ("m1.lr", "0.125")])).unwrap();
        assert_eq!(s.methods, vec![MethodSpec { lr: Some(0.125), ..base.methods[1].clone() }, MethodSpec::of(&LION)]);
    }

    #[test]
    fn pairs_of_a_link_give_the_links_spec_over_the_defaults() {
        let mut s = Spec::default();
        s.problem.rotation = 0.35;
        s.methods = vec![MethodSpec { lr: Some(0.003), ..MethodSpec::of(&ADAM) }];
        let link = to_query(&s);
        assert_eq!(apply_pairs(&Spec::default(), &pairs(&link)).unwrap(), s);
        let short = "d=50&m0=adam&m0.lr=0.01";
        assert_eq!(apply_pairs(&Spec::default(), &pairs(short)).unwrap(), from_query(short).spec);
    }

    #[test]
    fn links_hold_only_what_differs_from_the_defaults() {
        assert_eq!(to_query(&Spec::default()), "v=1");
        let mut s = Spec::default();
        s.problem.rotation = 0.35;
        s.analysis.bins = 10;
        assert_eq!(to_query(&s), "v=1&rotation=0.35&analysis.bins=10");
        // Methods other than the default ones: every method with its kind, and only the fields
        // that differ from a default method's (here the rule and the label).
        s.methods[1] = MethodSpec { rule: Rule::Const, label: Some("mine".into()), ..s.methods[1].clone() };
        let q = to_query(&s);
        assert!(q.ends_with("&m0=gd&m1=sign_gd&m1.rule=const&m1.label=mine"), "{q}");
        assert_eq!(from_query(&q), Decoded { spec: s.clone(), issues: vec![] });
        // A field set to its default value is not written: the link means the same spec.
        s.run.steps = Spec::default().run.steps;
        assert_eq!(from_query(&to_query(&s)).spec, s);
    }

    #[test]
    fn large_matrices_are_left_out_of_links() {
        let rows = |n: usize| (0..n).map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect()).collect();
        let mut s = Spec::default();
        s.problem.kind = ProblemKind::Matrix;
        s.problem.matrix = Some(rows(URL_MATRIX_MAX));
        assert_eq!(from_query(&to_query(&s)).spec, s);
        s.problem.matrix = Some(rows(URL_MATRIX_MAX + 1));
        let q = to_query(&s);
        assert!(q.contains("problem=matrix") && !q.contains("matrix=1"), "{q}");
    }

    #[test]
    fn repeated_keys_and_gaps_in_the_methods_are_named() {
        let d = from_query("d=30&rotation=0.5&d=40");
        assert_eq!(d.spec.problem.d, 40);
        assert_eq!(d.issues.len(), 1);
        assert_eq!((d.issues[0].param.as_str(), d.issues[0].value.as_str()), ("d", "40"));
        assert!(d.issues[0].message.contains("2 times (30, 40)"), "{}", d.issues[0].message);
        // Methods numbered with gaps are read in order, and the gap is named.
        let d = from_query("m1=adam&m3=lion");
        assert_eq!(d.spec.methods, vec![MethodSpec::of(&ADAM), MethodSpec::of(&LION)]);
        assert_eq!(d.issues.len(), 1);
        assert!(d.issues[0].message.starts_with("m0, m2 are missing"), "{}", d.issues[0].message);
        // A method beyond the last allowed is ignored by name; the methods stay the defaults.
        let d = from_query("m9=adam");
        assert_eq!(d.spec.methods, Spec::default().methods);
        assert_eq!(d.issues.len(), 1);
        assert!(d.issues[0].message.contains("m0 to m7") && d.issues[0].message.contains("m9 is ignored"));
    }

    #[test]
    fn unusable_pairs_are_issues_and_nothing_falls_back() {
        let base = Spec::default();
        let issues =
            apply_pairs(&base, &kv(&[("d", "5000"), ("preset", "sweep"), ("m5.lr", "0.1"), ("x", "1")])).unwrap_err();
        let params: Vec<&str> = issues.iter().map(|i| i.param.as_str()).collect();
        assert_eq!(params, vec!["preset", "d", "x", "m5"]);
        assert!(
            issues[1].message.contains("d = 5000") && issues[1].message.contains("1 to 2000"),
            "{}",
            issues[1].message
        );
        // Cross-field rules are left to validation.
        let s = apply_pairs(&base, &kv(&[("lambda_max", "50"), ("lambda_min", "80")])).unwrap();
        assert_eq!(s.validate().unwrap_err().field, "problem.lambda_min");
    }
}

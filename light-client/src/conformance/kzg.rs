//! Runner for the `kzg/` vectors (consensus-specs `kzg_4844` / `kzg_7594`
//! formats as copied by c-kzg-4844): one suite per function directory,
//! `<function>/kzg-mainnet/<case>/data.yaml`, all against
//! `kzg/trusted_setup.txt`.
//!
//! An `output: null` case passes only if the call returns an error; any other
//! case passes only if the call succeeds with exactly the expected value.
//! Inputs that cannot even be wrapped in this crate's newtypes (a blob of the
//! wrong length, a cell index out of range) count as errors of the call,
//! since the spec rejects them at the same place.

use std::path::Path;

use super::{SuiteReport, file_name, sorted_entries, unhex};
use crate::kzg::{self, Blob, Cell, CellIndex, Commitment, KzgError, Proof, TrustedSetup};
use yaml::Value;

/// Runs every `kzg` suite under `dir`.
pub fn run(dir: &Path) -> Vec<SuiteReport> {
    let setup = std::fs::read_to_string(dir.join("trusted_setup.txt"))
        .map_err(|e| format!("cannot read trusted_setup.txt: {e}"))
        .and_then(|t| TrustedSetup::from_text(&t).map_err(|e| e.to_string()));
    let mut reports = Vec::new();
    for suite_dir in sorted_entries(dir).into_iter().filter(|p| p.is_dir()) {
        let function = file_name(&suite_dir);
        let name = format!("kzg/{function}");
        if !SUPPORTED.contains(&function.as_str()) {
            reports.push(SuiteReport::unsupported(name));
            continue;
        }
        let mut report = SuiteReport::ran(name);
        for case in sorted_entries(&suite_dir.join("kzg-mainnet")).into_iter().filter(|p| p.is_dir()) {
            let rel = Path::new(&function).join("kzg-mainnet").join(file_name(&case));
            let outcome = match &setup {
                Ok(setup) => run_case(setup, &function, &case.join("data.yaml")),
                Err(e) => Err(e.clone()),
            };
            report.record(&rel, outcome);
        }
        reports.push(report);
    }
    reports
}

const SUPPORTED: &[&str] = &[
    "blob_to_kzg_commitment",
    "compute_blob_kzg_proof",
    "compute_cells",
    "compute_cells_and_kzg_proofs",
    "compute_challenge",
    "compute_kzg_proof",
    "compute_verify_cell_kzg_proof_batch_challenge",
    "recover_cells_and_kzg_proofs",
    "verify_blob_kzg_proof",
    "verify_blob_kzg_proof_batch",
    "verify_cell_kzg_proof_batch",
    "verify_kzg_proof",
];

/// What a call produced, or why the case could not be run at all.
enum CallError {
    /// The function rejected its input: matches `output: null`.
    Rejected(KzgError),
    /// The vector itself was unreadable: always a failure.
    Vector(String),
}

impl From<KzgError> for CallError {
    fn from(e: KzgError) -> Self {
        Self::Rejected(e)
    }
}

impl From<String> for CallError {
    fn from(e: String) -> Self {
        Self::Vector(e)
    }
}

fn run_case(setup: &TrustedSetup, function: &str, file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    run_case_text(setup, function, &text)
}

/// Runs one case of `function` from its `data.yaml` text: what [`run`] does
/// per case directory, for callers without a file system (the browser
/// tests run the vectors on the field wasm32 ships).
pub fn run_case_text(setup: &TrustedSetup, function: &str, text: &str) -> Result<(), String> {
    if !SUPPORTED.contains(&function) {
        return Err(format!("kzg/{function} is not supported"));
    }
    let doc = yaml::parse(text)?;
    let input = doc.get("input").ok_or("no `input`")?;
    let expected = doc.get("output").ok_or("no `output`")?;
    match (call(setup, function, input), expected) {
        (Ok(got), Value::Null) => Err(format!("expected an error, got {}", short(&got))),
        (Ok(got), want) if &got == want => Ok(()),
        (Ok(got), want) => Err(format!("expected {}, got {}", short(want), short(&got))),
        (Err(CallError::Rejected(_)), Value::Null) => Ok(()),
        (Err(CallError::Rejected(e)), want) => Err(format!("expected {}, got error: {e}", short(want))),
        (Err(CallError::Vector(e)), _) => Err(e),
    }
}

/// A value's debug form cut to a readable length for reports.
fn short(v: &Value) -> String {
    let s = format!("{v:?}");
    match s.char_indices().nth(160) {
        Some((i, _)) => format!("{}..", &s[..i]),
        None => s,
    }
}

fn field<'a>(input: &'a Value, key: &str) -> Result<&'a Value, CallError> {
    input.get(key).ok_or_else(|| CallError::Vector(format!("input has no `{key}`")))
}

fn bytes(v: &Value) -> Result<Vec<u8>, CallError> {
    match v {
        Value::Str(s) => Ok(unhex(s)?),
        other => Err(CallError::Vector(format!("expected a hex string, got {other:?}"))),
    }
}

fn list(v: &Value) -> Result<&[Value], CallError> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(CallError::Vector(format!("expected a list, got {other:?}"))),
    }
}

fn fixed<const N: usize>(v: &Value, what: &'static str) -> Result<[u8; N], CallError> {
    let b = bytes(v)?;
    b.as_slice().try_into().map_err(|_| CallError::Rejected(KzgError::WrongLength { what, expected: N, got: b.len() }))
}

fn blob(v: &Value) -> Result<Blob, CallError> {
    Ok(Blob::from_bytes(&bytes(v)?)?)
}

fn commitment(v: &Value) -> Result<Commitment, CallError> {
    Ok(Commitment::from_bytes(&bytes(v)?)?)
}

fn proof(v: &Value) -> Result<Proof, CallError> {
    Ok(Proof::from_bytes(&bytes(v)?)?)
}

fn cell(v: &Value) -> Result<Cell, CallError> {
    Ok(Cell::from_bytes(&bytes(v)?)?)
}

fn each<T>(v: &Value, f: impl Fn(&Value) -> Result<T, CallError>) -> Result<Vec<T>, CallError> {
    list(v)?.iter().map(f).collect()
}

fn int(v: &Value) -> Result<u64, CallError> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(CallError::Vector(format!("expected an integer, got {other:?}"))),
    }
}

fn cell_index(v: &Value) -> Result<CellIndex, CallError> {
    Ok(CellIndex::new(int(v)?)?)
}

fn hex_value(b: &[u8]) -> Value {
    Value::Str(format!("0x{}", hex::encode(b)))
}

fn cells_and_proofs(cells: &[Cell], proofs: &[Proof]) -> Value {
    Value::List(vec![
        Value::List(cells.iter().map(|c| hex_value(c.as_bytes())).collect()),
        Value::List(proofs.iter().map(|p| hex_value(p.as_bytes())).collect()),
    ])
}

fn call(s: &TrustedSetup, function: &str, i: &Value) -> Result<Value, CallError> {
    Ok(match function {
        "blob_to_kzg_commitment" => hex_value(s.blob_to_kzg_commitment(&blob(field(i, "blob")?)?)?.as_bytes()),
        "compute_kzg_proof" => {
            let (p, y) = s.compute_kzg_proof(&blob(field(i, "blob")?)?, &fixed(field(i, "z")?, "z")?)?;
            Value::List(vec![hex_value(p.as_bytes()), hex_value(&y)])
        }
        "compute_blob_kzg_proof" => {
            hex_value(s.compute_blob_kzg_proof(&blob(field(i, "blob")?)?, &commitment(field(i, "commitment")?)?)?.as_bytes())
        }
        "compute_challenge" => hex_value(&kzg::compute_challenge(&blob(field(i, "blob")?)?, &commitment(field(i, "commitment")?)?)),
        "verify_kzg_proof" => Value::Bool(s.verify_kzg_proof(
            &commitment(field(i, "commitment")?)?,
            &fixed(field(i, "z")?, "z")?,
            &fixed(field(i, "y")?, "y")?,
            &proof(field(i, "proof")?)?,
        )?),
        "verify_blob_kzg_proof" => Value::Bool(s.verify_blob_kzg_proof(
            &blob(field(i, "blob")?)?,
            &commitment(field(i, "commitment")?)?,
            &proof(field(i, "proof")?)?,
        )?),
        "verify_blob_kzg_proof_batch" => Value::Bool(s.verify_blob_kzg_proof_batch(
            &each(field(i, "blobs")?, blob)?,
            &each(field(i, "commitments")?, commitment)?,
            &each(field(i, "proofs")?, proof)?,
        )?),
        "compute_cells" => Value::List(s.compute_cells(&blob(field(i, "blob")?)?)?.iter().map(|c| hex_value(c.as_bytes())).collect()),
        "compute_cells_and_kzg_proofs" => {
            let (cells, proofs) = s.compute_cells_and_kzg_proofs(&blob(field(i, "blob")?)?)?;
            cells_and_proofs(&cells, &proofs)
        }
        "verify_cell_kzg_proof_batch" => Value::Bool(s.verify_cell_kzg_proof_batch(
            &each(field(i, "commitments")?, commitment)?,
            &each(field(i, "cell_indices")?, cell_index)?,
            &each(field(i, "cells")?, cell)?,
            &each(field(i, "proofs")?, proof)?,
        )?),
        "compute_verify_cell_kzg_proof_batch_challenge" => {
            // Each coset's evaluations are listed one by one; concatenated they are a cell.
            let cells = each(field(i, "cosets_evals")?, |evals| {
                let joined = each(evals, bytes)?.concat();
                Ok(Cell::from_bytes(&joined)?)
            })?;
            hex_value(&kzg::compute_verify_cell_kzg_proof_batch_challenge(
                &each(field(i, "commitments")?, commitment)?,
                &each(field(i, "commitment_indices")?, int)?,
                &each(field(i, "cell_indices")?, cell_index)?,
                &cells,
                &each(field(i, "proofs")?, proof)?,
            )?)
        }
        "recover_cells_and_kzg_proofs" => {
            let (cells, proofs) =
                s.recover_cells_and_kzg_proofs(&each(field(i, "cell_indices")?, cell_index)?, &each(field(i, "cells")?, cell)?)?;
            cells_and_proofs(&cells, &proofs)
        }
        other => return Err(CallError::Vector(format!("no runner for {other}"))),
    })
}

/// A parser for exactly the YAML subset of the KZG vectors: block mappings,
/// block sequences (also indentless and nested `- - x`), flow sequences of
/// scalars (possibly over several lines), quoted strings, integers, `null`,
/// `true` and `false`. Anything else is an error, never a guess.
mod yaml {
    /// A parsed YAML value.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Value {
        Null,
        Bool(bool),
        Int(u64),
        Str(String),
        List(Vec<Value>),
        Map(Vec<(String, Value)>),
    }

    impl Value {
        /// The value under `key` of a mapping.
        pub fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }
    }

    struct Line {
        indent: usize,
        text: String,
        number: usize,
    }

    /// Parses a whole document.
    pub fn parse(text: &str) -> Result<Value, String> {
        let mut lines = logical_lines(text)?;
        if lines.is_empty() {
            return Ok(Value::Null);
        }
        let mut pos = 0;
        let indent = lines[0].indent;
        let v = block(&mut lines, &mut pos, indent)?;
        match lines.get(pos) {
            None => Ok(v),
            Some(l) => Err(format!("line {}: unexpected content {:?}", l.number, l.text)),
        }
    }

    /// Splits into non-empty lines, joining a flow sequence that spans lines.
    fn logical_lines(text: &str) -> Result<Vec<Line>, String> {
        let mut out: Vec<Line> = Vec::new();
        let mut open = 0i64;
        for (n, raw) in text.lines().enumerate() {
            if raw.contains('\t') {
                return Err(format!("line {}: tabs are not supported", n + 1));
            }
            let trimmed = raw.trim_end();
            let content = trimmed.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let depth: i64 = content.chars().map(|c| i64::from(c == '[') - i64::from(c == ']')).sum();
            if open > 0 {
                if let Some(last) = out.last_mut() {
                    last.text.push(' ');
                    last.text.push_str(content);
                }
            } else {
                out.push(Line { indent: trimmed.len() - content.len(), text: content.to_string(), number: n + 1 });
            }
            open += depth;
            if open < 0 {
                return Err(format!("line {}: unbalanced `]`", n + 1));
            }
        }
        if open != 0 {
            return Err("unterminated flow sequence".into());
        }
        Ok(out)
    }

    fn is_item(text: &str) -> bool {
        text == "-" || text.starts_with("- ")
    }

    /// Parses the block that starts at `lines[*pos]`, at exactly `indent`.
    fn block(lines: &mut [Line], pos: &mut usize, indent: usize) -> Result<Value, String> {
        let first = &lines[*pos];
        if first.indent != indent {
            return Err(format!("line {}: unexpected indentation", first.number));
        }
        if is_item(&first.text) {
            let mut items = Vec::new();
            while *pos < lines.len() && lines[*pos].indent == indent && is_item(&lines[*pos].text) {
                let line = &mut lines[*pos];
                let rest = line.text[1..].trim_start().to_string();
                if rest.is_empty() {
                    *pos += 1;
                    items.push(child(lines, pos, indent, false)?);
                } else {
                    // Re-read "- x" as the line "x", two columns further in.
                    line.indent = indent + (line.text.len() - rest.len());
                    line.text = rest;
                    let inner = line.indent;
                    items.push(block(lines, pos, inner)?);
                }
            }
            return Ok(Value::List(items));
        }
        if split_key(&first.text).is_some() {
            let mut entries = Vec::new();
            while *pos < lines.len() && lines[*pos].indent == indent && !is_item(&lines[*pos].text) {
                let number = lines[*pos].number;
                let (key, rest) = split_key(&lines[*pos].text).ok_or_else(|| format!("line {number}: expected `key: value`"))?;
                *pos += 1;
                let value = if rest.is_empty() { child(lines, pos, indent, true)? } else { scalar(&rest, number)? };
                if entries.iter().any(|(k, _)| *k == key) {
                    return Err(format!("line {number}: duplicate key {key:?}"));
                }
                entries.push((key, value));
            }
            return Ok(Value::Map(entries));
        }
        let v = scalar(&first.text, first.number)?;
        *pos += 1;
        Ok(v)
    }

    /// The value of `key:` or `-` with nothing after it: a deeper block, an
    /// indentless sequence (mappings only), or null when nothing follows.
    fn child(lines: &mut [Line], pos: &mut usize, indent: usize, indentless_ok: bool) -> Result<Value, String> {
        match lines.get(*pos) {
            Some(l) if l.indent > indent => {
                let inner = l.indent;
                block(lines, pos, inner)
            }
            Some(l) if indentless_ok && l.indent == indent && is_item(&l.text) => block(lines, pos, indent),
            _ => Ok(Value::Null),
        }
    }

    fn split_key(text: &str) -> Option<(String, String)> {
        if text.starts_with('\'') || text.starts_with('"') || text.starts_with('[') {
            return None;
        }
        let (key, rest) = text.split_once(':')?;
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        Some((key.to_string(), rest.trim().to_string()))
    }

    fn scalar(text: &str, number: usize) -> Result<Value, String> {
        let t = text.trim();
        let err = || format!("line {number}: unsupported value {t:?}");
        if let Some(inner) = t.strip_prefix('[') {
            let inner = inner.strip_suffix(']').ok_or_else(err)?.trim();
            if inner.is_empty() {
                return Ok(Value::List(Vec::new()));
            }
            let items = inner.split(',').map(|s| scalar(s, number)).collect::<Result<Vec<_>, _>>()?;
            if items.iter().any(|v| matches!(v, Value::List(_) | Value::Map(_))) {
                return Err(err());
            }
            return Ok(Value::List(items));
        }
        for q in ['\'', '"'] {
            if let Some(inner) = t.strip_prefix(q) {
                let inner = inner.strip_suffix(q).ok_or_else(err)?;
                if inner.contains(q) || inner.contains('\\') {
                    return Err(err());
                }
                return Ok(Value::Str(inner.to_string()));
            }
        }
        match t {
            "null" | "~" => Ok(Value::Null),
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ if t.starts_with("0x") && t[2..].bytes().all(|b| b.is_ascii_hexdigit()) => Ok(Value::Str(t.to_string())),
            _ if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => t.parse().map(Value::Int).map_err(|_| err()),
            _ => Err(err()),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn parses_the_vector_shapes() {
            let doc = "input:\n  a: '0x01'\n  idx: [0, 1,\n      2]\n  l:\n  - '0x02'\n  - - '0x03'\n    - '0x04'\n  e: []\noutput: null\n";
            let v = parse(doc).expect("parses");
            let input = v.get("input").expect("input");
            assert_eq!(input.get("a"), Some(&Value::Str("0x01".into())));
            assert_eq!(input.get("idx"), Some(&Value::List(vec![Value::Int(0), Value::Int(1), Value::Int(2)])));
            assert_eq!(
                input.get("l"),
                Some(&Value::List(vec![
                    Value::Str("0x02".into()),
                    Value::List(vec![Value::Str("0x03".into()), Value::Str("0x04".into())])
                ]))
            );
            assert_eq!(input.get("e"), Some(&Value::List(vec![])));
            assert_eq!(v.get("output"), Some(&Value::Null));
            let nested = parse("output:\n- - '0x01'\n- - '0x02'\n").expect("parses");
            let one = |s: &str| Value::List(vec![Value::Str(s.into())]);
            assert_eq!(nested.get("output"), Some(&Value::List(vec![one("0x01"), one("0x02")])));
        }

        #[test]
        fn rejects_what_it_does_not_understand() {
            assert!(parse("a: &anchor 1\n").is_err());
            assert!(parse("a: {b: 1}\n").is_err());
            assert!(parse("a: 'x\n").is_err());
            assert!(parse("a: [1, 2\n").is_err());
        }
    }
}

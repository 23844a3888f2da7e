//! EIP-7594 cells, proofs and commitments as DA nodes serve them: the DA
//! wire response decoder, the byte decoders (points must be on the curve and
//! in the subgroup, field elements canonical) and `verify_cell_kzg_proof_batch`
//! over whatever decodes, with the ceremony's verifier setup.
#![no_main]

use std::sync::OnceLock;

use aloft_light_client::da::wire::decode_cells_response;
use aloft_light_client::kzg::{Cell, CellIndex, Commitment, Proof, VerifierSetup};
use libfuzzer_sys::fuzz_target;

const CELL: usize = 2048;
const POINT: usize = 48;
/// One batch entry: commitment, index byte, cell, proof.
const ENTRY: usize = POINT + 1 + CELL + POINT;

fn setup() -> &'static VerifierSetup {
    static SETUP: OnceLock<VerifierSetup> = OnceLock::new();
    SETUP.get_or_init(|| VerifierSetup::ceremony().expect("the embedded setup loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&expected, body)) = data.split_first() else { return };
    let _ = decode_cells_response(body, usize::from(expected % 8));

    let _ = Commitment::from_bytes(data);
    let _ = Proof::from_bytes(data);
    let _ = Cell::from_bytes(data);

    let (mut commitments, mut indices, mut cells, mut proofs) = (vec![], vec![], vec![], vec![]);
    for entry in body.chunks_exact(ENTRY).take(4) {
        let (c, rest) = entry.split_at(POINT);
        let (i, rest) = rest.split_at(1);
        let (cell, p) = rest.split_at(CELL);
        let (Ok(c), Ok(cell), Ok(p)) = (Commitment::from_bytes(c), Cell::from_bytes(cell), Proof::from_bytes(p)) else {
            return;
        };
        commitments.push(c);
        indices.push(CellIndex::from_low_bits(i[0]));
        cells.push(cell);
        proofs.push(p);
    }
    let _ = setup().verify_cell_kzg_proof_batch(&commitments, &indices, &cells, &proofs);
});

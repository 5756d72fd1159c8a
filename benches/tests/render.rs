//! Every code of the 10,000-code spec renders to its documented response, and
//! `Error::from_response` reads that back as the same code, status and message.

use errspec_benches::bench_int;

#[test]
fn every_one_of_ten_thousand_codes_reads_back_as_itself() {
    let mut n = 0;
    for (code, response) in bench_int::ErrorCode::examples() {
        let read =
            bench_int::Error::from_response(response.status(), response.headers(), response.body());
        assert_eq!(read.code(), Some(&code));
        assert_eq!(Some(read.status()), code.status(), "{code:?}");
        assert_eq!(read.message(), code.message(), "{code:?}");
        n += 1;
    }
    assert_eq!(n, 10_000);
}

//! Jittered retry delays: bounds, agreement with the jitter-free formula, reproducibility from a
//! seed, and the seedable generator itself.

use std::time::Duration;

use errspec::{Jitter, JitterRng, RetryPolicy};
use proptest::prelude::*;

fn policy(
    initial: Duration,
    multiplier: f64,
    max_delay: Duration,
    max_attempts: u32,
    jitter: Jitter,
) -> RetryPolicy {
    RetryPolicy {
        name: "test",
        initial,
        multiplier,
        max_delay,
        max_attempts,
        jitter,
        retry_after: None,
        methods: errspec::Methods::IDEMPOTENT,
    }
}

fn any_jitter() -> impl Strategy<Value = Jitter> {
    prop_oneof![Just(Jitter::None), Just(Jitter::Full), Just(Jitter::Equal)]
}

/// Attempt numbers: mostly small ones, where delays differ, and any `u32` besides.
fn any_attempt() -> impl Strategy<Value = u32> {
    prop_oneof![3 => 0u32..=70, 1 => any::<u32>()]
}

/// Sane policies: up to a minute's initial delay, a multiplier from 1 to 10, a cap of up to a
/// day, and any number of attempts.
fn any_policy() -> impl Strategy<Value = RetryPolicy> {
    (
        0u64..=60_000_000_000,
        1.0f64..=10.0,
        0u64..=86_400_000_000_000,
        prop_oneof![3 => 0u32..=70, 1 => any::<u32>()],
        any_jitter(),
    )
        .prop_map(|(initial, multiplier, max_delay, max_attempts, jitter)| {
            policy(
                Duration::from_nanos(initial),
                multiplier,
                Duration::from_nanos(max_delay),
                max_attempts,
                jitter,
            )
        })
}

/// `initial × multiplier^(attempt − 1)` capped at `max_delay`, in exact integer arithmetic, for
/// whole multipliers and an initial delay in eighths of a second (both exact in `f64`).
fn exact_formula(
    initial_eighths: u64,
    multiplier: u32,
    max_delay: Duration,
    attempt: u32,
) -> Duration {
    let initial_nanos = u128::from(initial_eighths) * 125_000_000;
    if initial_nanos == 0 {
        return Duration::ZERO;
    }
    let nanos = u128::from(multiplier)
        .checked_pow(attempt - 1)
        .and_then(|factor| factor.checked_mul(initial_nanos));
    match nanos {
        Some(nanos) if nanos <= max_delay.as_nanos() => {
            Duration::from_nanos(u64::try_from(nanos).expect("below the cap"))
        }
        _ => max_delay,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn jittered_delay_stays_within_zero_and_the_formula_delay(
        policy in any_policy(),
        attempt in any_attempt(),
        seed in any::<u64>(),
    ) {
        let mut rng = JitterRng::with_seed(seed);
        let delay = policy.delay(attempt, &mut rng);
        let formula = policy.backoff(attempt);
        prop_assert_eq!(delay.is_some(), formula.is_some());
        prop_assert_eq!(delay.is_some(), policy.allows_retry_after(attempt));
        if let (Some(delay), Some(formula)) = (delay, formula) {
            prop_assert!(delay <= formula, "{:?} > {:?}", delay, formula);
            prop_assert!(delay <= policy.max_delay, "{:?} > {:?}", delay, policy.max_delay);
        }
    }

    #[test]
    fn every_delay_of_a_whole_retry_sequence_is_within_max_delay(
        policy in any_policy(),
        seed in any::<u64>(),
    ) {
        let mut rng = JitterRng::with_seed(seed);
        for attempt in 1..=policy.max_attempts.min(100) {
            match policy.delay(attempt, &mut rng) {
                Some(delay) => prop_assert!(delay <= policy.max_delay),
                None => prop_assert_eq!(attempt, policy.max_attempts),
            }
        }
    }

    #[test]
    fn without_jitter_the_delay_is_the_backoff_formula(
        policy in any_policy(),
        attempt in any_attempt(),
        seed in any::<u64>(),
    ) {
        let policy = RetryPolicy { jitter: Jitter::None, ..policy };
        let mut rng = JitterRng::with_seed(seed);
        let delay = policy.delay(attempt, &mut rng);
        prop_assert_eq!(delay, policy.backoff(attempt));
        prop_assert_eq!(rng, JitterRng::with_seed(seed), "no jitter draws nothing");

        if let Some(delay) = delay {
            // The formula in floating point, as documented.
            let exponent = f64::from(attempt - 1);
            let expected = if policy.initial.is_zero() {
                0.0
            } else {
                (policy.initial.as_secs_f64() * policy.multiplier.powf(exponent))
                    .min(policy.max_delay.as_secs_f64())
            };
            let tolerance = expected * 1e-12 + 2e-9;
            prop_assert!(
                (delay.as_secs_f64() - expected).abs() <= tolerance,
                "attempt {}: {:?} vs {}s", attempt, delay, expected
            );
        }
    }

    #[test]
    fn without_jitter_whole_multipliers_give_the_exact_formula(
        initial_eighths in 0u64..=480,
        multiplier in 1u32..=4,
        max_delay_ms in 0u64..=3_600_000,
        attempt in 1u32..=200,
    ) {
        let max_delay = Duration::from_millis(max_delay_ms);
        let p = policy(
            Duration::from_millis(initial_eighths * 125),
            f64::from(multiplier),
            max_delay,
            u32::MAX,
            Jitter::None,
        );
        let expected = exact_formula(initial_eighths, multiplier, max_delay, attempt);
        prop_assert_eq!(p.backoff(attempt), Some(expected));
        prop_assert_eq!(p.delay(attempt, &mut JitterRng::with_seed(0)), Some(expected));
    }

    #[test]
    fn a_fixed_seed_reproduces_the_jittered_delays_exactly(
        policy in any_policy(),
        seed in any::<u64>(),
    ) {
        let mut first = JitterRng::with_seed(seed);
        let mut second = JitterRng::with_seed(seed);
        let attempts = 1..=policy.max_attempts.min(50);
        let a: Vec<_> = attempts.clone().map(|n| policy.delay(n, &mut first)).collect();
        let b: Vec<_> = attempts.map(|n| policy.delay(n, &mut second)).collect();
        prop_assert_eq!(a, b);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn equal_jitter_is_at_least_half_the_formula_delay(
        policy in any_policy(),
        attempt in any_attempt(),
        seed in any::<u64>(),
    ) {
        let policy = RetryPolicy { jitter: Jitter::Equal, ..policy };
        let delay = policy.delay(attempt, &mut JitterRng::with_seed(seed));
        if let (Some(delay), Some(formula)) = (delay, policy.backoff(attempt)) {
            prop_assert!(delay >= formula / 2, "{:?} < half of {:?}", delay, formula);
            prop_assert!(delay <= formula);
        }
    }

    #[test]
    fn jitter_applied_to_any_duration_stays_within_it(
        secs in any::<u64>(),
        nanos in 0u32..1_000_000_000,
        jitter in any_jitter(),
        seed in any::<u64>(),
    ) {
        let delay = Duration::new(secs, nanos);
        let jittered = jitter.apply(delay, &mut JitterRng::with_seed(seed));
        prop_assert!(jittered <= delay);
        match jitter {
            Jitter::None => prop_assert_eq!(jittered, delay),
            Jitter::Equal => prop_assert!(jittered >= delay / 2),
            Jitter::Full => {}
        }
    }
}

#[test]
fn splitmix64_matches_its_reference_output() {
    let mut rng = JitterRng::with_seed(1_234_567);
    let outputs: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
    assert_eq!(
        outputs,
        [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ]
    );
}

#[test]
fn different_seeds_give_different_delays() {
    let delay = Duration::from_secs(10);
    let draws = |seed| {
        let mut rng = JitterRng::with_seed(seed);
        (0..8)
            .map(|_| Jitter::Full.apply(delay, &mut rng))
            .collect::<Vec<_>>()
    };
    assert_ne!(draws(1), draws(2));
}

#[test]
fn generators_from_entropy_differ() {
    let mut a = JitterRng::from_entropy();
    let mut b = JitterRng::from_entropy();
    let a: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
    let b: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
    assert_ne!(a, b);
}

#[test]
fn full_jitter_spreads_over_the_whole_range() {
    let delay = Duration::from_secs(10);
    let mut rng = JitterRng::with_seed(99);
    let draws: Vec<Duration> = (0..10_000)
        .map(|_| Jitter::Full.apply(delay, &mut rng))
        .collect();
    let min = draws.iter().min().unwrap();
    let max = draws.iter().max().unwrap();
    let mean = draws.iter().sum::<Duration>() / 10_000;
    assert!(*min < Duration::from_millis(100), "min {min:?}");
    assert!(*max > Duration::from_millis(9_900), "max {max:?}");
    assert!(
        mean > Duration::from_millis(4_800) && mean < Duration::from_millis(5_200),
        "mean {mean:?}"
    );
}

#[test]
fn equal_jitter_spreads_over_the_upper_half() {
    let delay = Duration::from_secs(10);
    let mut rng = JitterRng::with_seed(99);
    let draws: Vec<Duration> = (0..10_000)
        .map(|_| Jitter::Equal.apply(delay, &mut rng))
        .collect();
    let min = draws.iter().min().unwrap();
    let max = draws.iter().max().unwrap();
    let mean = draws.iter().sum::<Duration>() / 10_000;
    assert!(*min >= Duration::from_secs(5), "min {min:?}");
    assert!(*min < Duration::from_millis(5_100), "min {min:?}");
    assert!(*max > Duration::from_millis(9_900), "max {max:?}");
    assert!(
        mean > Duration::from_millis(7_300) && mean < Duration::from_millis(7_700),
        "mean {mean:?}"
    );
}

#[test]
fn a_zero_delay_stays_zero_with_any_jitter() {
    let mut rng = JitterRng::with_seed(5);
    for jitter in [Jitter::None, Jitter::Full, Jitter::Equal] {
        assert_eq!(jitter.apply(Duration::ZERO, &mut rng), Duration::ZERO);
    }
}

#[test]
fn delay_is_none_exactly_when_backoff_is() {
    let p = policy(
        Duration::from_secs(1),
        2.0,
        Duration::from_secs(30),
        3,
        Jitter::Full,
    );
    let mut rng = JitterRng::with_seed(0);
    assert_eq!(p.delay(0, &mut rng), None);
    assert!(p.delay(1, &mut rng).is_some());
    assert!(p.delay(2, &mut rng).is_some());
    assert_eq!(p.delay(3, &mut rng), None);
    assert_eq!(p.delay(u32::MAX, &mut rng), None);
}

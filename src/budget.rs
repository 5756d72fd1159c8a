//! Retry budgets: a token bucket shared by every clone of a client, so that a failing server is
//! not answered with a storm of retries.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::RetryClass;

/// Tokens are counted in thousandths, so that gRPC's fractional `tokenRatio` is exact.
const MILLI: f64 = 1_000.0;

/// How a budget spends and earns its tokens, as a spec declares it (`retry.budget`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BudgetParams {
    /// A retry quota, as the AWS SDKs' standard retry mode keeps one: a retry takes its cost
    /// from the bucket and is refused when the bucket holds less; a success puts back what its
    /// last retry took, or `success_refill` when it needed none.
    Quota {
        /// Tokens the bucket holds, and starts with.
        capacity: f64,
        /// The cost of retrying a throttling error.
        throttling_cost: f64,
        /// The cost of retrying a transient error.
        transient_cost: f64,
        /// The cost of retrying after a timeout.
        timeout_cost: f64,
        /// What a success that needed no retry adds.
        success_refill: f64,
        /// Whether a success after a retry puts back that retry's cost.
        refund: bool,
    },
    /// gRPC's retry throttling (gRFC A6 `retryThrottling`): every retryable failure takes one
    /// token, every success adds `token_ratio`, and retries are made only while the bucket
    /// holds more than half of `max_tokens`.
    Throttling {
        /// The bucket's size, and where it starts (1 to 1000 in gRPC's service config).
        max_tokens: f64,
        /// What a success adds (0 to 1, three decimal places).
        token_ratio: f64,
    },
}

impl BudgetParams {
    /// The AWS SDKs' standard retry quota: 500 tokens, a retry costs 5 (10 after a timeout), a
    /// success after a retry refunds it, a success without one adds 1.
    pub const AWS_STANDARD: BudgetParams = {
        use errspec_core::aws_standard_budget as aws;
        BudgetParams::Quota {
            capacity: aws::CAPACITY,
            throttling_cost: aws::RETRY_COST,
            transient_cost: aws::RETRY_COST,
            timeout_cost: aws::TIMEOUT_COST,
            success_refill: aws::SUCCESS_REFILL,
            refund: true,
        }
    };

    /// gRPC retry throttling with the service config's `maxTokens` and `tokenRatio`.
    pub const fn grpc(max_tokens: f64, token_ratio: f64) -> BudgetParams {
        BudgetParams::Throttling {
            max_tokens,
            token_ratio,
        }
    }

    fn capacity(&self) -> u64 {
        milli(match *self {
            BudgetParams::Quota { capacity, .. } => capacity,
            BudgetParams::Throttling { max_tokens, .. } => max_tokens,
        })
    }
}

/// Thousandths of `tokens`, rounded; negative and non-finite values are 0.
fn milli(tokens: f64) -> u64 {
    if tokens.is_finite() && tokens > 0.0 {
        (tokens * MILLI).round().min(u64::MAX as f64) as u64
    } else {
        0
    }
}

/// What a retry is charged as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryCost {
    /// Retrying an error the server sent to slow the client down.
    Throttling,
    /// Retrying a passing failure.
    Transient,
    /// Retrying after the request timed out.
    Timeout,
}

impl From<RetryClass> for RetryCost {
    fn from(class: RetryClass) -> Self {
        match class {
            RetryClass::Throttling => RetryCost::Throttling,
            _ => RetryCost::Transient,
        }
    }
}

/// Tokens a budget granted for one retry, to give back through [`RetryBudget::on_success`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Grant(u64);

/// A retry budget: one token bucket, shared by every clone.
///
/// ```
/// use errspec::{BudgetParams, RetryBudget, RetryCost};
///
/// let budget = RetryBudget::new(BudgetParams::AWS_STANDARD);
/// let shared = budget.clone();
/// // 500 tokens at 5 a retry: 100 retries, then none until something succeeds.
/// let granted = (0..1_000).filter_map(|_| shared.try_retry(RetryCost::Transient)).count();
/// assert_eq!(granted, 100);
/// assert_eq!(budget.try_retry(RetryCost::Transient), None);
/// budget.on_success(None);
/// assert_eq!(budget.tokens(), 1.0);
/// ```
#[derive(Clone, Debug)]
pub struct RetryBudget {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    params: BudgetParams,
    capacity: u64,
    tokens: AtomicU64,
}

impl RetryBudget {
    /// A full bucket.
    pub fn new(params: BudgetParams) -> Self {
        let capacity = params.capacity();
        RetryBudget {
            inner: Arc::new(Inner {
                params,
                capacity,
                tokens: AtomicU64::new(capacity),
            }),
        }
    }

    /// How the budget spends and earns.
    pub fn params(&self) -> BudgetParams {
        self.inner.params
    }

    /// The tokens it holds now.
    pub fn tokens(&self) -> f64 {
        self.inner.tokens.load(Ordering::Acquire) as f64 / MILLI
    }

    /// Takes what a retry of `cost` costs; `None` (and no retry) when the budget cannot pay.
    /// For gRPC throttling the failure is counted either way, as A6 says; a retryable failure
    /// that is not retried for another reason is counted by [`on_failure`](Self::on_failure).
    pub fn try_retry(&self, cost: RetryCost) -> Option<Grant> {
        match self.inner.params {
            BudgetParams::Quota {
                throttling_cost,
                transient_cost,
                timeout_cost,
                ..
            } => {
                let cost = milli(match cost {
                    RetryCost::Throttling => throttling_cost,
                    RetryCost::Transient => transient_cost,
                    RetryCost::Timeout => timeout_cost,
                });
                self.update(|tokens| tokens.checked_sub(cost))
                    .ok()
                    .map(|_| Grant(cost))
            }
            BudgetParams::Throttling { .. } => {
                let after = self
                    .update(|tokens| Some(tokens.saturating_sub(milli(1.0))))
                    .map_or(0, |before| before.saturating_sub(milli(1.0)));
                (after > self.inner.capacity / 2).then_some(Grant(0))
            }
        }
    }

    /// Counts a retryable failure that is not retried for another reason (attempts spent, the
    /// server said no, the request may not be sent again): gRPC throttling takes its token, as
    /// A6 counts every such failure; a quota takes nothing, as it charges only retries.
    pub fn on_failure(&self) {
        if let BudgetParams::Throttling { .. } = self.inner.params {
            let _ = self.update(|tokens| Some(tokens.saturating_sub(milli(1.0))));
        }
    }

    /// Counts a success: the request's last retry's grant (if it needed one) is put back when
    /// the budget refunds, else the budget's refill is added, up to its capacity.
    pub fn on_success(&self, last_grant: Option<Grant>) {
        let add = match self.inner.params {
            BudgetParams::Quota {
                success_refill,
                refund,
                ..
            } => match last_grant {
                Some(Grant(cost)) if refund => cost,
                _ => milli(success_refill),
            },
            BudgetParams::Throttling { token_ratio, .. } => milli(token_ratio),
        };
        let capacity = self.inner.capacity;
        let _ = self.update(|tokens| Some(tokens.saturating_add(add).min(capacity)));
    }

    /// Applies `f` atomically; the value before, or `Err` when `f` refused.
    fn update(&self, f: impl FnMut(u64) -> Option<u64>) -> Result<u64, u64> {
        self.inner
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, f)
    }
}

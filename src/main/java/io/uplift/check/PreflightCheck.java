package io.uplift.check;

import io.uplift.api.CheckResult;

/** One preflight check. It reads and judges; it never changes anything. */
public interface PreflightCheck {
    CheckResult run(CheckContext context);
}

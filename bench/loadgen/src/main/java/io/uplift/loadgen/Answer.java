package io.uplift.loadgen;

/** One HTTP answer: status, whether it carried Retry-After, and the body as text. */
public record Answer(int status, boolean hasRetryAfter, String body) {
}

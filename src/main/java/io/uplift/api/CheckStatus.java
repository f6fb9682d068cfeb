package io.uplift.api;

/** The outcome of one preflight check. */
public enum CheckStatus { PASS, WARN, FAIL }

package io.uplift; public final class Uplift {}

package io.dcbstore.architecture.cycle.a;

import io.dcbstore.architecture.cycle.b.Second;

/** Breaks the rules on purpose: half of a package cycle. */
public final class First {
    Second second;
}

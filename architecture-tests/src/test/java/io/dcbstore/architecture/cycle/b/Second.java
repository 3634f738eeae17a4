package io.dcbstore.architecture.cycle.b;

import io.dcbstore.architecture.cycle.a.First;

/** Breaks the rules on purpose: the other half of a package cycle. */
public final class Second {
    First first;
}

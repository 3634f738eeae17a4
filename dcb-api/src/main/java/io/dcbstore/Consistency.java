package io.dcbstore;

/** Which node a read may be served by. */
public enum Consistency {
    /** Read from the primary: sees every append acknowledged before the read started. */
    STRONG,
    /** Read from a healthy replica when there is one (else the primary); may lag behind. */
    EVENTUAL
}

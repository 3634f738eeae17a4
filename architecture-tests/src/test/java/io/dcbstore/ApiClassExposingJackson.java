package io.dcbstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Breaks the rules on purpose: a public API class with Jackson's types in its public signatures. */
public final class ApiClassExposingJackson {
    /** @return a Jackson type, inside a generic type */
    public List<JsonNode> payloads() {
        return List.of();
    }
}

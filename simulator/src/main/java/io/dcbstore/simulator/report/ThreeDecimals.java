package io.dcbstore.simulator.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/** Writes a {@link Rounded} figure: half up to three decimals. */
final class ThreeDecimals extends StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    ThreeDecimals() {
        super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
        if (value == null || value.isNaN() || value.isInfinite()) {
            generator.writeNull(); // not measured: no figure, never a rounded 0
        } else {
            generator.writeNumber(round(value));
        }
    }

    /**
     * @param value a figure
     * @return the figure to three decimals
     */
    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}

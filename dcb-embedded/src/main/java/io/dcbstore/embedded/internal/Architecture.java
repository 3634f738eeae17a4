package io.dcbstore.embedded.internal;

import java.util.Locale;

/** The processor architectures the launcher tells apart, from the JVM's {@code os.arch}. */
public enum Architecture {
    /** 64-bit x86: {@code amd64} (Linux, Windows) or {@code x86_64} (macOS). */
    X86_64,
    /** 64-bit ARM: {@code aarch64} (or {@code arm64}). */
    ARM64,
    /** Anything else (32-bit x86 or ARM, ppc64le, s390x, riscv64, ...). */
    OTHER;

    /**
     * @param osArch a value of the {@code os.arch} system property
     * @return the architecture it names
     */
    public static Architecture of(String osArch) {
        String name = osArch == null ? "" : osArch.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "amd64", "x86_64", "x86-64", "x64" -> X86_64;
            case "aarch64", "arm64" -> ARM64;
            default -> OTHER;
        };
    }
}

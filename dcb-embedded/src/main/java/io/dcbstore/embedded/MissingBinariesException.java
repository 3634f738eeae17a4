package io.dcbstore.embedded;

import java.util.Objects;

/**
 * The platform this JVM runs on is supported, but its PostgreSQL binaries are not on the class
 * path: the artifact to add is {@link #coordinates()}. dcb-embedded's Maven profiles add it when
 * the build runs on that platform; a build made on one platform and run on another (a shaded jar,
 * a container image) needs it added by hand, or the profile {@code postgres-binaries-all}.
 */
public final class MissingBinariesException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The platform the binaries are missing for. */
    private final PostgresPlatform platform;
    /** The Maven coordinates of the artifact to add. */
    private final String coordinates;

    /**
     * @param platform the platform this JVM runs on
     * @param version the binaries' version dcb-embedded was built with, e.g. {@code 17.6.0}
     */
    public MissingBinariesException(PostgresPlatform platform, String version) {
        super("the PostgreSQL binaries for "
                + Objects.requireNonNull(platform, "platform").description()
                + " (the resource /" + platform.archiveResource() + ") are not on the class path: add the runtime"
                + " dependency " + platform.coordinates(version)
                + " (dcb-embedded's Maven profiles add it when the build runs on that platform)");
        this.platform = platform;
        this.coordinates = platform.coordinates(version);
    }

    /** @return the platform whose binaries are missing */
    public PostgresPlatform platform() {
        return platform;
    }

    /** @return the Maven coordinates of the artifact to add, {@code groupId:artifactId:version} */
    public String coordinates() {
        return coordinates;
    }
}

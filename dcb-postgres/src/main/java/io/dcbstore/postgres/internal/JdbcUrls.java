package io.dcbstore.postgres.internal;

import java.util.regex.Pattern;

/** JDBC URLs as they may appear in errors and logs: with every secret they carry masked. */
public final class JdbcUrls {
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;](?:password|sslpassword|sslkey)=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("//[^/@?]*@");

    private JdbcUrls() {}

    /**
     * @param url a JDBC URL, or null
     * @return the URL with the values of {@code password}, {@code sslpassword} and {@code sslkey}
     *     and any {@code user:password@} part replaced by {@code ***}
     */
    public static String redacted(String url) {
        if (url == null) {
            return null;
        }
        return USER_INFO
                .matcher(SECRET_PARAMETER.matcher(url).replaceAll("$1***"))
                .replaceAll("//***@");
    }
}

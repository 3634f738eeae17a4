/**
 * The library domain as a Spring Boot web application: the store comes from
 * {@code dcb-spring-boot-starter}, the commands and queries of {@code library-domain} are exposed
 * as JSON over HTTP, and without a configured database an embedded PostgreSQL is started, so a JDK
 * is all it needs.
 */
package io.dcbstore.example.library;

/** How the auto-configuration builds the store and reports its health; not an API. */
package io.dcbstore.spring.internal;

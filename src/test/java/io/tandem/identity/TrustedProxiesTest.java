package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

class TrustedProxiesTest {

    @Test
    void withNoProxyListedNoForwardedHeaderIsBelievedEvenFromPrivateAddresses() {
        RemoteIpValve valve = customizedValve(List.of());
        assertThat(valve.getInternalProxies()).isNull();
        assertThat(valve.getTrustedProxies()).isNull();
    }

    @Test
    void onlyTheListedProxiesAreBelieved() {
        RemoteIpValve valve = customizedValve(List.of("10.0.0.5", " 192.168.1.10 "));
        Pattern proxies = Pattern.compile(valve.getInternalProxies());
        assertThat(proxies.matcher("10.0.0.5").matches()).isTrue();
        assertThat(proxies.matcher("192.168.1.10").matches()).isTrue();
        assertThat(proxies.matcher("10.0.0.6").matches()).isFalse();
        assertThat(proxies.matcher("10.0.0.50").matches()).as("a dot is not a wildcard").isFalse();
        assertThat(proxies.matcher("127.0.0.1").matches()).isFalse();
    }

    @Test
    void somethingThatIsNotAnAddressIsRefusedAtStart() {
        assertThatThrownBy(() -> customizedValve(List.of("proxy.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tandem.security.trusted-proxies");
    }

    private static RemoteIpValve customizedValve(List<String> proxies) {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        RemoteIpValve valve = new RemoteIpValve(); // as Spring Boot adds it, with Tomcat's private-address default
        assertThat(valve.getInternalProxies()).isNotNull();
        factory.addEngineValves(valve);
        new TrustedProxies(new IdentityProperties(5, 20, Duration.ofMinutes(5), 10, 365, proxies)).customize(factory);
        return valve;
    }
}

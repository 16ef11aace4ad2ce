package io.tandem.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConfigScopeTest {

    private static ConfigScope scope(String... includes) {
        return new ConfigScope(Path.of("/opt/flowintegrator"), List.of(includes), List.of(), 10, 10);
    }

    @Test
    void aRemoteWalkStartsAtTheFixedDirectoriesOfTheIncludeGlobs() {
        assertThat(scope("server/etc/**", "tomcat/conf/*.xml", "server/etc/sub/*.cfg").walkRoots())
                .containsExactly("server/etc", "tomcat/conf");
        assertThat(scope("server/etc/server.cfg").walkRoots()).containsExactly("server/etc");
        assertThat(scope("server/*/x.cfg", "top.cfg").walkRoots()).containsExactly("");
        assertThat(scope("**/*.cfg", "server/etc/**").walkRoots()).containsExactly("");
        assertThat(scope("server/e[tx]c/**").walkRoots()).containsExactly("server");
    }

    @Test
    void confinementAsksAboutEachComponentAndRefusesALinkOnTheWay() {
        List<String> asked = new java.util.ArrayList<>();
        ConfigScope scope = scope("server/etc/**");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scope.confine("server/etc/x.cfg", relative -> {
            asked.add(relative);
            return relative.equals("server/etc") ? ConfigScope.Kind.SYMLINK : ConfigScope.Kind.DIRECTORY;
        })).isInstanceOfSatisfying(ConfigRefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.OUTSIDE_ROOTS));
        assertThat(asked).containsExactly("server", "server/etc");
    }
}

package io.mycel.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedirectsFileTest {
  private static final RedirectsFile RULES = RedirectsFile.parse("""
      # comments and blank lines are skipped

      /old/:year/:slug   /posts/:year-:slug.html   302
      /docs/*            /manual/:splat
      /app/*             /app/index.html           200
      /gone              /gone.html                410
      /ext/*             https://example.com/:splat 308
      /docs/first        /never
      """);

  @Test
  void placeholdersFillTheTarget() {
    assertThat(RULES.match("/old/2024/hello"))
        .contains(new RedirectsFile.Match("/posts/2024-hello.html", 302));
  }

  @Test
  void aPlaceholderMatchesOneSegmentOnly() {
    assertThat(RULES.match("/old/2024/hello/more")).isEmpty();
    assertThat(RULES.match("/old/2024")).isEmpty();
  }

  @Test
  void theSplatTakesTheRestAndTheDefaultStatusIs301() {
    assertThat(RULES.match("/docs/a/b.html"))
        .contains(new RedirectsFile.Match("/manual/a/b.html", 301));
  }

  @Test
  void theFirstMatchingRuleWins() {
    assertThat(RULES.match("/docs/first")).contains(new RedirectsFile.Match("/manual/first", 301));
  }

  @Test
  void rewritesAndErrorStatusesAreKept() {
    assertThat(RULES.match("/app/x/y")).contains(new RedirectsFile.Match("/app/index.html", 200));
    assertThat(RULES.match("/gone/")).contains(new RedirectsFile.Match("/gone.html", 410));
  }

  @Test
  void anUrlTargetKeepsItsColonAndGetsTheSplat() {
    assertThat(RULES.match("/ext/a/b"))
        .contains(new RedirectsFile.Match("https://example.com/a/b", 308));
  }

  @Test
  void noRuleNoMatch() {
    assertThat(RULES.match("/elsewhere")).isEqualTo(Optional.empty());
  }

  @Test
  void anUnknownStatusIsRefused() {
    assertThatThrownBy(() -> RedirectsFile.parse("/a /b 999"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1")
        .hasMessageContaining("999");
  }

  @Test
  void aForcedStatusIsRefused() {
    assertThatThrownBy(() -> RedirectsFile.parse("/a /b 301!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("301!");
  }

  @Test
  void aRuleWithoutTargetIsRefused() {
    assertThatThrownBy(() -> RedirectsFile.parse("\n/a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
  }

  @Test
  void aSplatInsideThePathIsRefused() {
    assertThatThrownBy(() -> RedirectsFile.parse("/a/*/b /c"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("splat");
  }

  @Test
  void aRelativeTargetIsRefused() {
    assertThatThrownBy(() -> RedirectsFile.parse("/a b.html"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'b.html'");
  }

  @Test
  void aRewriteToAnUrlIsRefused() {
    assertThatThrownBy(() -> RedirectsFile.parse("/a https://example.com/ 200"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status 200");
  }
}

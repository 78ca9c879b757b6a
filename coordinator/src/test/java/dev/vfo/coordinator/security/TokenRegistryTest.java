package dev.vfo.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenRegistryTest {
    private static final String OP = "op-token-abcdefghijklmnopqrstuvwxyz";
    private static final String VIEW = "view-token-abcdefghijklmnopqrstuvwxyz";

    @Test
    void parses_entries_by_line_or_comma_and_authenticates_with_roles() {
        TokenRegistry tokens = TokenRegistry.parse("""
                # operators
                alice:operator:%s

                carol:VIEWER:%s, dave:viewer:%s
                """.formatted(OP, VIEW, VIEW + "2"), "tokens.txt");

        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.authenticate(OP)).contains(new Caller("alice", Role.OPERATOR));
        assertThat(tokens.authenticate(VIEW)).contains(new Caller("carol", Role.VIEWER));
        assertThat(tokens.authenticate(VIEW + "2")).contains(new Caller("dave", Role.VIEWER));
        assertThat(tokens.authenticate(OP + "x")).isEmpty();
        assertThat(tokens.authenticate(OP.substring(1))).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
    }

    @Test
    void a_token_may_contain_colons_after_the_role() {
        TokenRegistry tokens = TokenRegistry.parse("svc:operator:abc=def/ghi+jkl~mno.pqr_stu-vwx", "env");
        assertThat(tokens.authenticate("abc=def/ghi+jkl~mno.pqr_stu-vwx")).isPresent();
    }

    @Test
    void errors_name_the_entry_but_never_the_secret() {
        assertThatThrownBy(() -> TokenRegistry.parse("alice:operator:short", "VFO_API_TOKENS"))
                .hasMessageContaining("VFO_API_TOKENS entry 1 (alice)").hasMessageContaining("at least 24")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> TokenRegistry.parse("alice:admin:" + OP, "f"))
                .hasMessageContaining("unknown role 'admin'").hasMessageNotContaining(OP);
        assertThatThrownBy(() -> TokenRegistry.parse("alice:" + OP, "f")).hasMessageContaining("name:role:token");
        assertThatThrownBy(() -> TokenRegistry.parse("alice:operator:" + OP + "\nalice:viewer:" + VIEW, "f"))
                .hasMessageContaining("entry 2").hasMessageContaining("'alice' appears twice");
        assertThatThrownBy(() -> TokenRegistry.parse("alice:operator:" + OP + "\nbob:viewer:" + OP, "f"))
                .hasMessageContaining("same token").hasMessageNotContaining(OP);
        assertThatThrownBy(() -> TokenRegistry.parse("al ice:operator:" + OP, "f")).hasMessageContaining("name 'al ice'");
    }

    @Test
    void merging_keeps_names_and_tokens_unique() {
        TokenRegistry a = TokenRegistry.parse("alice:operator:" + OP, "env");
        assertThat(a.with(TokenRegistry.parse("carol:viewer:" + VIEW, "file")).size()).isEqualTo(2);
        assertThatThrownBy(() -> a.with(TokenRegistry.parse("alice:viewer:" + VIEW, "file"))).hasMessageContaining("alice");
        assertThatThrownBy(() -> a.with(TokenRegistry.parse("bob:viewer:" + OP, "file"))).hasMessageContaining("bob");
    }

    @Test
    void to_string_lists_names_and_roles_only() {
        assertThat(TokenRegistry.parse("alice:operator:" + OP, "env").toString())
                .isEqualTo("TokenRegistry[alice:operator]").doesNotContain(OP);
    }

    @Test
    void an_operator_may_do_what_a_viewer_may_but_not_the_reverse() {
        assertThat(Role.OPERATOR.allows(Role.VIEWER)).isTrue();
        assertThat(Role.OPERATOR.allows(Role.OPERATOR)).isTrue();
        assertThat(Role.VIEWER.allows(Role.OPERATOR)).isFalse();
    }
}

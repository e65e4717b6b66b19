package dev.llmix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsNumbersTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "1.0, 1", "-0.0, 0", "0.30000000000000004, 0.30000000000000004", "1e20, 100000000000000000000",
            "1e21, 1e+21", "1e-6, 0.000001", "1e-7, 1e-7", "9223372036854775807, 9223372036854776000",
            "4.9e-324, 5e-324", "-1e-7, -1e-7", "0.7, 0.7", "123.456, 123.456", "1.5e300, 1.5e+300",
            "2e-323, 2e-323", "1.7976931348623157e308, 1.7976931348623157e+308", "-2.5, -2.5",
            "9007199254740993, 9007199254740992", "5e-7, 5e-7", "0.000123, 0.000123", "123456789012345680000, 123456789012345680000"
    })
    void printsLikeEcmaScriptNumberToString(double value, String expected) {
        assertThat(JsNumbers.toString(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "parseInt({0})")
    @CsvSource(delimiter = '|', value = {"42|42", "  -7abc|-7", "abc|NaN", "+5|5", "1.9|1", "''|NaN"})
    void parseIntFollowsEcmaScript(String input, String expected) {
        assertThat(JsNumbers.toString(EcmaScript.parseInt(input))).isEqualTo(expected);
    }
}

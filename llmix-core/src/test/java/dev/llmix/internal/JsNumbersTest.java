package dev.llmix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
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

    @Test
    void fastPathAgreesWithShortestDigitSearchOnRandomDoubles() {
        SplittableRandom random = new SplittableRandom(20240601);
        for (int i = 0; i < 20_000; i++) {
            double value = i % 2 == 0
                    ? Double.longBitsToDouble(random.nextLong())
                    : Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(1, 12));
            if (!Double.isFinite(value) || value == 0 || value == Math.rint(value)) {
                continue;
            }
            assertThat(JsNumbers.toString(value)).as("bits %x", Double.doubleToRawLongBits(value))
                    .isEqualTo(JsNumbers.toStringWithoutFastPath(value));
        }
    }

    @Test
    void printedDigitsReadBackAsTheSameDouble() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value)) {
                assertThat(Double.parseDouble(JsNumbers.toString(value))).isEqualTo(value == 0 ? 0.0 : value);
            }
        }
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({"2.2250738585072014E-308, 2.2250738585072014e-308", "4.9E-322, 4.9e-322", "1.0E23, 1e+23",
            "8.41E21, 8.41e+21", "2.0E-3, 0.002", "5.0E-324, 5e-324", "9.5367431640625E-7, 9.5367431640625e-7"})
    void printsBoundaryValuesWithTheShortestDigits(double value, String expected) {
        assertThat(JsNumbers.toString(value)).isEqualTo(expected);
    }
}

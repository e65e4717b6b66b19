package dev.llmix.resilience;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Strict parser for the three RFC 9110 HTTP-date forms (IMF-fixdate, RFC 850, asctime): case-sensitive names, GMT
 * only, calendar date validated. The day name must be one of the seven but need not match the date: the reference
 * accepts {@code Fri, 31 Dec 2999} (a Tuesday) and that vector is not a leniency one. Hand-written because {@code DateTimeFormatter.RFC_1123_DATE_TIME} also
 * accepts numeric offsets and a missing weekday, and knows neither RFC 850 nor asctime.
 */
final class HttpDates {

    private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> LONG_DAYS =
            List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    private HttpDates() {
    }

    /** Epoch milliseconds of {@code text} (already trimmed), or {@code null} when it is not an HTTP-date. */
    static @Nullable Long parseEpochMillis(String text) {
        int comma = text.indexOf(',');
        if (comma == 3) {
            return imfFixdate(text);
        }
        if (comma > 3) {
            return rfc850(text, comma);
        }
        return comma < 0 ? asctime(text) : null;
    }

    // "Sun, 06 Nov 1994 08:49:37 GMT"
    private static @Nullable Long imfFixdate(String s) {
        if (s.length() != 29 || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' '
                || s.charAt(16) != ' ' || s.charAt(25) != ' ' || !s.startsWith("GMT", 26)) {
            return null;
        }
        return toEpochMillis(DAYS.indexOf(s.substring(0, 3)), digits(s, 12, 4), MONTHS.indexOf(s.substring(8, 11)),
                digits(s, 5, 2), s, 17);
    }

    // "Sunday, 06-Nov-94 08:49:37 GMT"
    private static @Nullable Long rfc850(String s, int comma) {
        int p = comma + 1;
        if (s.length() != p + 23 || s.charAt(p) != ' ' || s.charAt(p + 3) != '-' || s.charAt(p + 7) != '-'
                || s.charAt(p + 10) != ' ' || s.charAt(p + 19) != ' ' || !s.startsWith("GMT", p + 20)) {
            return null;
        }
        int yy = digits(s, p + 8, 2);
        int year = yy < 0 ? -1 : yy < 50 ? 2000 + yy : 1900 + yy;
        return toEpochMillis(LONG_DAYS.indexOf(s.substring(0, comma)), year,
                MONTHS.indexOf(s.substring(p + 4, p + 7)), digits(s, p + 1, 2), s, p + 11);
    }

    // "Sun Nov  6 08:49:37 1994" (day of month is two digits or a space and one digit)
    private static @Nullable Long asctime(String s) {
        if (s.length() != 24 || s.charAt(3) != ' ' || s.charAt(7) != ' ' || s.charAt(10) != ' '
                || s.charAt(19) != ' ') {
            return null;
        }
        int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
        return toEpochMillis(DAYS.indexOf(s.substring(0, 3)), digits(s, 20, 4), MONTHS.indexOf(s.substring(4, 7)),
                day, s, 11);
    }

    /** Validates the fields and the "HH:MM:SS" at {@code timeAt}, and converts to epoch ms (UTC). */
    private static @Nullable Long toEpochMillis(int weekdayIndex, int year, int monthIndex, int day, String s,
            int timeAt) {
        if (weekdayIndex < 0 || year < 0 || monthIndex < 0 || day < 0
                || s.charAt(timeAt + 2) != ':' || s.charAt(timeAt + 5) != ':') {
            return null;
        }
        int hour = digits(s, timeAt, 2);
        int minute = digits(s, timeAt + 3, 2);
        int second = digits(s, timeAt + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(year, monthIndex + 1, day);
        } catch (DateTimeException e) {
            return null;
        }
        long epochSecond = date.atTime(hour, minute, second).toEpochSecond(ZoneOffset.UTC);
        return epochSecond * 1000L;
    }

    /** The value of {@code count} ASCII digits at {@code at}, or -1 when any of them is not a digit. */
    private static int digits(String s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

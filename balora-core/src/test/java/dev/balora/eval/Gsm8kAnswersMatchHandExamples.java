package dev.balora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** GSM8K answers: the number after ####, else the last number; compared by value without separators. */
class Gsm8kAnswersMatchHandExamples {

    @Test
    void numberAfterTheMark() {
        assertEquals("72", Gsm8kAnswers.extract("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n"
                + "Natalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72"));
        assertEquals("1000", Gsm8kAnswers.extract("so 10 boxes #### 1,000"));
        assertEquals("-3", Gsm8kAnswers.extract("#### -3"));
        assertEquals("2.5", Gsm8kAnswers.extract("#### 2.50"));
        assertEquals("18", Gsm8kAnswers.extract("#### $18."));
        assertEquals("7", Gsm8kAnswers.extract("first #### 3 then #### 7"));
    }

    @Test
    void lastNumberWithoutTheMark() {
        assertEquals("15", Gsm8kAnswers.extract("She has 5 apples and buys 10 more, so 15 in total."));
        assertEquals("1234567", Gsm8kAnswers.extract("The answer is 1,234,567"));
        assertEquals("0.5", Gsm8kAnswers.extract("half is .5"));
        assertEquals("4", Gsm8kAnswers.extract("#### no number, but 4 before"));
        assertNull(Gsm8kAnswers.extract("no digits here"));
        assertNull(Gsm8kAnswers.extract(null));
    }

    @Test
    void exactMatchByValue() {
        assertTrue(Gsm8kAnswers.matches("so the total is 1000.00", "... #### 1,000"));
        assertTrue(Gsm8kAnswers.matches("#### 0", "#### -0"));
        assertFalse(Gsm8kAnswers.matches("I think 12", "#### 21"));
        assertFalse(Gsm8kAnswers.matches("no answer", "#### 3"));
    }
}

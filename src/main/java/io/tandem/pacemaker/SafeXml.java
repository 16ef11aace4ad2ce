package io.tandem.pacemaker;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * DOM loading hardened for output that arrives from remote machines: no DOCTYPE (so no entity expansion or
 * external entities), no XInclude, no external DTD or schema access, and a size ceiling. Plus the few attribute
 * helpers every Pacemaker reader needs.
 */
final class SafeXml {

    /** A busy cluster's full CIB with status is a few MB; anything far larger is not Pacemaker output. */
    static final int MAX_CHARS = 32 * 1024 * 1024;

    private SafeXml() {
    }

    static Element parseRoot(String xml, String what) throws PacemakerParseException {
        if (xml == null || xml.isBlank()) {
            throw new PacemakerParseException(what + " is empty");
        }
        if (xml.length() > MAX_CHARS) {
            throw new PacemakerParseException(what + " is " + xml.length() + " characters, over the limit of " + MAX_CHARS);
        }
        try {
            Document document = builder().parse(new InputSource(new StringReader(stripLeadingNoise(xml))));
            return document.getDocumentElement();
        } catch (SAXException e) {
            throw new PacemakerParseException(what + " is not well-formed or not allowed XML: " + e.getMessage(), e);
        } catch (IOException | ParserConfigurationException e) {
            throw new PacemakerParseException(what + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Output captured over SSH may start with a BOM or blank lines; XML forbids both before the declaration. */
    private static String stripLeadingNoise(String xml) {
        int start = 0;
        while (start < xml.length() && (Character.isWhitespace(xml.charAt(start)) || xml.charAt(start) == '\uFEFF')) {
            start++;
        }
        return xml.substring(start);
    }

    /**
     * Looking up and configuring a factory costs more than parsing a crm_mon document, and the monitor parses
     * several per node reading: each thread keeps one hardened builder, reset before each use (a builder is not
     * thread-safe, a thread uses it for one parse at a time).
     */
    private static final ThreadLocal<DocumentBuilder> BUILDER = new ThreadLocal<>();

    private static DocumentBuilder builder() throws ParserConfigurationException {
        DocumentBuilder builder = BUILDER.get();
        if (builder == null) {
            builder = newBuilder();
            BUILDER.set(builder);
        } else {
            builder.reset();
            builder.setErrorHandler(RETHROW); // reset() drops it
        }
        return builder;
    }

    private static DocumentBuilder newBuilder() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(RETHROW); // the default handler also prints to stderr
        return builder;
    }

    private static final ErrorHandler RETHROW = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // warnings (e.g. unusual encodings) do not make a document unreadable
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        if (parent == null) {
            return result;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                result.add(e);
            }
        }
        return result;
    }

    static List<Element> children(Element parent) {
        return children(parent, null);
    }

    static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The attribute's value, or null when absent (DOM itself answers "" for both absent and empty). */
    static String attr(Element e, String name) {
        return e != null && e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    static String attr(Element e, String name, String fallback) {
        String value = attr(e, name);
        return value == null ? fallback : value;
    }

    /** First present attribute among names that mean the same thing in different Pacemaker releases. */
    static String firstAttr(Element e, String... names) {
        for (String name : names) {
            String value = attr(e, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    static boolean flag(Element e, String name) {
        return "true".equalsIgnoreCase(attr(e, name));
    }

    static boolean flag(Element e, String name, boolean fallback) {
        String value = attr(e, name);
        return value == null ? fallback : isTrue(value);
    }

    /** Pacemaker booleans in CIB nvpairs come as true/yes/on/1 as well. */
    static boolean isTrue(String value) {
        return switch (value.trim().toLowerCase()) {
            case "true", "yes", "on", "1", "y" -> true;
            default -> false;
        };
    }

    static int integer(Element e, String name, int fallback) {
        String value = attr(e, name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException ex) {
            return fallback;
        }
    }

    static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

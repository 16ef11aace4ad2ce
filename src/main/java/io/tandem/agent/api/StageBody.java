package io.tandem.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.ConfigStore;

/**
 * A stage request ({@code {"files": [{"path", "bytes" (base64), "expectedSha256", "mode"}]}}) read as a stream:
 * each file's base64 is decoded straight into the store's scratch file, so a change near the upload limit never
 * sits in the agent's small heap. Unknown fields are skipped, as the rest of the API does.
 */
final class StageBody implements ConfigStore.Upload {

    private final InputStream body;
    private final JsonMapper json;

    StageBody(InputStream body, JsonMapper json) {
        this.body = body;
        this.json = json;
    }

    @Override
    public List<ConfigStore.Received> read(ConfigStore.Receiver receiver) throws IOException, ConfigRefusedException {
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("the body must be a JSON object with a 'files' array");
            }
            List<ConfigStore.Received> files = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("files".equals(name) && value == JsonToken.START_ARRAY) {
                    files = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        files.add(file(parser, receiver, files.size()));
                    }
                } else if ("files".equals(name)) {
                    throw invalid("'files' must be an array");
                } else {
                    parser.skipChildren();
                }
            }
            if (files == null) {
                throw invalid("'files' is missing");
            }
            return files;
        } catch (JacksonIOException e) {
            // reading the body or writing a scratch file failed: the cause says which (too large, disk, client gone)
            throw e.getCause();
        } catch (JacksonException e) {
            throw invalid("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ConfigStore.Received file(JsonParser parser, ConfigStore.Receiver receiver, int index)
            throws IOException, ConfigRefusedException {
        String at = "files[" + index + "]";
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw invalid(at + " must be an object");
        }
        String path = null;
        String expectedSha256 = null;
        String mode = null;
        ConfigStore.Content content = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "path" -> path = text(parser, value, at + ".path");
                case "expectedSha256" -> expectedSha256 = text(parser, value, at + ".expectedSha256");
                case "mode" -> mode = text(parser, value, at + ".mode");
                case "bytes" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.VALUE_STRING) {
                        throw invalid(at + ".bytes must be a base64 string");
                    }
                    if (content != null) {
                        throw invalid(at + ".bytes is given twice");
                    }
                    content = receiver.open();
                    try (ConfigStore.Content out = content) {
                        parser.readBinaryValue(out);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return new ConfigStore.Received(path, expectedSha256, mode, content);
    }

    private static String text(JsonParser parser, JsonToken value, String field) throws ConfigRefusedException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw invalid(field + " must be a string");
        }
        return parser.getString();
    }

    private static ConfigRefusedException invalid(String message) {
        return new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, null, message);
    }
}

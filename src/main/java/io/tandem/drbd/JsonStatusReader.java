package io.tandem.drbd;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code drbdsetup status --json [--verbose --statistics]}: an array of resources, each with
 * {@code devices}, {@code connections} and, per connection, {@code peer_devices} (underscore, unlike the other
 * hyphenated keys).
 */
final class JsonStatusReader {

    private static final String FORMAT = "drbdsetup status --json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonStatusReader() {
    }

    static DrbdStatus read(String json) throws DrbdParseException {
        TextLines.lines(json, FORMAT); // size and presence checks shared with the text formats
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new DrbdParseException(FORMAT + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new DrbdParseException(FORMAT + ": expected an array of resources");
        }
        StatusBuilder status = new StatusBuilder();
        int index = 0;
        for (JsonNode resource : root.values()) {
            try {
                resource(status, resource);
            } catch (DrbdParseException e) {
                throw new DrbdParseException(FORMAT + ", resource #" + index + ": " + e.getMessage(), e);
            }
            index++;
        }
        return status.build();
    }

    /** Name and role are what tell a status entry from {@code drbdsetup show --json}'s configuration entries. */
    private static void resource(StatusBuilder status, JsonNode node) throws DrbdParseException {
        if (!node.isObject() || !node.path("name").isString() || !node.has("role")) {
            throw new DrbdParseException("entry without name and role (is this 'drbdsetup show --json'?)");
        }
        StatusBuilder.ResourceBuilder resource = status.resource(node.get("name").asString());
        scalars(resource, node);
        for (JsonNode device : node.path("devices").values()) {
            scalars(resource.device(volume(device)), device);
        }
        for (JsonNode connection : node.path("connections").values()) {
            String peer = connection.path("name").asString(null);
            StatusBuilder.ConnectionBuilder builder = resource.connection(
                    peer != null ? peer : "node-" + connection.path("peer-node-id").asString("?"));
            scalars(builder, connection);
            JsonNode peerDevices = connection.has("peer_devices") ? connection.get("peer_devices")
                    : connection.path("peer-devices");
            for (JsonNode peerDevice : peerDevices.values()) {
                scalars(builder.peerDevice(volume(peerDevice)), peerDevice);
            }
        }
    }

    private static void scalars(StatusBuilder.Part part, JsonNode object) throws DrbdParseException {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode value = field.getValue();
            if (value.isValueNode() && !value.isNull()) {
                part.set(field.getKey(), value.asString());
            }
        }
    }

    private static int volume(JsonNode node) throws DrbdParseException {
        JsonNode volume = node.path("volume");
        return volume.isMissingNode() ? 0 : StatusBuilder.volume(volume.asString());
    }
}

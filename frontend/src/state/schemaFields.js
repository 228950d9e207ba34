// Turns the server's JSON Schema of a lesson's parameters into a flat list of
// field descriptions that drive both the form and the URL hash. The server's
// pydantic model is the one place where names, types, ranges and defaults live.

/** Describes one schema property: { name, kind, label, minimum, maximum, ... }. */
export function describeField(name, property) {
  const branches = property.anyOf ?? [property];
  const valueBranch = branches.find((branch) => branch.type !== "null") ?? property;
  const nullable = branches.some((branch) => branch.type === "null");
  const enumValues = valueBranch.enum ?? (valueBranch.const !== undefined ? [valueBranch.const] : null);
  let kind = valueBranch.type;
  if (enumValues) kind = "enum";
  return {
    name,
    kind,
    label: property.title ?? name,
    description: property.description ?? "",
    nullable,
    defaultValue: property.default ?? null,
    minimum: valueBranch.minimum ?? null,
    maximum: valueBranch.maximum ?? null,
    options: enumValues,
    scale: property.scale ?? valueBranch.scale ?? "linear",
    datasetDefaults: property.dataset_defaults ?? null,
  };
}

export function describeFields(schema) {
  return Object.entries(schema.properties ?? {}).map(([name, property]) =>
    describeField(name, property),
  );
}

/**
 * Parses the text form of a value (from a URL hash or an input) for `field`.
 * Returns undefined when the text is not a valid value of the field.
 */
export function parseFieldValue(field, text) {
  if (text === "" || text === "null" || text == null) {
    return field.nullable ? null : undefined;
  }
  switch (field.kind) {
    case "boolean":
      if (text === "true" || text === "1") return true;
      if (text === "false" || text === "0") return false;
      return undefined;
    case "integer": {
      const value = Number(text);
      if (!Number.isInteger(value)) return undefined;
      return isWithin(field, value) ? value : undefined;
    }
    case "number": {
      const value = Number(text);
      if (!Number.isFinite(value)) return undefined;
      return isWithin(field, value) ? value : undefined;
    }
    case "enum":
      return field.options.map(String).includes(String(text))
        ? field.options.find((option) => String(option) === String(text))
        : undefined;
    default:
      return String(text);
  }
}

function isWithin(field, value) {
  return (
    (field.minimum == null || value >= field.minimum) &&
    (field.maximum == null || value <= field.maximum)
  );
}

/** Returns every field's default, as the server would fill it in. */
export function defaultValues(fields) {
  return Object.fromEntries(fields.map((field) => [field.name, field.defaultValue]));
}

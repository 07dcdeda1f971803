package dlx.api;

/** The device the user asked for (platform service, injectable). */
public interface DeviceChoice {
    Device requested();
}
